package dev.sextant.storage.postgres;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.storage.rollup.ExactSum;
import dev.sextant.storage.rollup.ExponentialHistogramRollup;
import dev.sextant.storage.rollup.HistogramRollup;
import dev.sextant.storage.rollup.NumberRollup;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.SummaryRollup;
import java.util.List;

/**
 * One stored rollup window as bytes (the {@code data} of {@code metric_rollups_1m} and {@code
 * metric_rollups_1h}): a kind byte, the sample count, then the kind's fields — doubles by their raw
 * bits, sums as their exact partials, samples through {@link PointCodec} — so a stored window reads
 * back equal to the one {@link dev.sextant.storage.rollup.Rollups} computed, and partials stored at
 * one flush combine exactly with those of the next.
 */
final class RollupCodec {
  private static final int NUMBER = 0;
  private static final int HISTOGRAM = 1;
  private static final int EXPONENTIAL = 2;
  private static final int SUMMARY = 3;

  private RollupCodec() {}

  static byte[] encode(Rollup rollup) {
    Bytes.Writer out = new Bytes.Writer(96);
    switch (rollup) {
      case NumberRollup n -> {
        out.writeByte(NUMBER);
        out.writeUnsigned(n.count());
        sum(out, n.sum());
        out.writeDouble(n.min());
        out.writeDouble(n.max());
        PointCodec.encodeInto(out, List.of(n.first(), n.last()));
        sum(out, n.increase());
      }
      case HistogramRollup h -> {
        out.writeByte(HISTOGRAM);
        out.writeUnsigned(h.count());
        PointCodec.encodeInto(out, List.of(h.increase(), h.last()));
        sum(out, h.sumIncrease());
      }
      case ExponentialHistogramRollup e -> {
        out.writeByte(EXPONENTIAL);
        out.writeUnsigned(e.count());
        PointCodec.encodeInto(out, List.of(e.increase(), e.last()));
        sum(out, e.sumIncrease());
      }
      case SummaryRollup s -> {
        out.writeByte(SUMMARY);
        out.writeUnsigned(s.count());
        out.writeSigned(s.countIncrease());
        sum(out, s.sumIncrease());
        PointCodec.encodeInto(out, List.of(s.last()));
      }
    }
    return out.toByteArray();
  }

  static Rollup decode(long windowStart, byte[] bytes) {
    Bytes.Reader in = new Bytes.Reader(bytes);
    int kind = in.readByte();
    long count = in.readUnsigned();
    return switch (kind) {
      case NUMBER -> {
        ExactSum sum = sum(in);
        double min = in.readDouble();
        double max = in.readDouble();
        List<MetricPoint> firstLast = PointCodec.decodeFrom(in);
        yield new NumberRollup(
            windowStart,
            count,
            sum,
            min,
            max,
            (NumberPoint) firstLast.get(0),
            (NumberPoint) firstLast.get(1),
            sum(in));
      }
      case HISTOGRAM -> {
        List<MetricPoint> points = PointCodec.decodeFrom(in);
        yield new HistogramRollup(
            windowStart,
            count,
            (HistogramPoint) points.get(0),
            sum(in),
            (HistogramPoint) points.get(1));
      }
      case EXPONENTIAL -> {
        List<MetricPoint> points = PointCodec.decodeFrom(in);
        yield new ExponentialHistogramRollup(
            windowStart,
            count,
            (ExponentialHistogramPoint) points.get(0),
            sum(in),
            (ExponentialHistogramPoint) points.get(1));
      }
      case SUMMARY -> {
        long countIncrease = in.readSigned();
        ExactSum sumIncrease = sum(in);
        yield new SummaryRollup(
            windowStart,
            count,
            countIncrease,
            sumIncrease,
            (SummaryPoint) PointCodec.decodeFrom(in).getFirst());
      }
      default -> throw new IllegalStateException("unknown rollup kind " + kind);
    };
  }

  /** One sample (a series' rollup frontier) as bytes. */
  static byte[] sample(MetricPoint point) {
    return PointCodec.encode(List.of(point));
  }

  static MetricPoint sample(byte[] bytes) {
    return PointCodec.decode(bytes).getFirst();
  }

  private static void sum(Bytes.Writer out, ExactSum sum) {
    double[] partials = sum.partials();
    out.writeUnsigned(partials.length);
    for (double partial : partials) {
      out.writeDouble(partial);
    }
    out.writeDouble(sum.nonFinite());
  }

  private static ExactSum sum(Bytes.Reader in) {
    double[] partials = new double[Math.toIntExact(in.readUnsigned())];
    for (int i = 0; i < partials.length; i++) {
      partials[i] = in.readDouble();
    }
    return ExactSum.fromParts(partials, in.readDouble());
  }
}
