package dev.sextant.storage.sqlite;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.storage.rollup.ExactSum;
import dev.sextant.storage.rollup.ExponentialHistogramRollup;
import dev.sextant.storage.rollup.HistogramRollup;
import dev.sextant.storage.rollup.NumberRollup;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.Rollups;
import dev.sextant.storage.rollup.SummaryRollup;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored rollups of one series in one block, window by window: number rollups as columns
 * ({@link NumberRollupColumns}), others field by field. Each is either a partial, covering the
 * samples this block added after the ones already rolled up (it is combined with the older blocks'
 * rollups of its window), or complete, recomputed from every sample of its window after a late or
 * replaced point (it replaces the older ones). Sums keep their exact partials.
 */
final class RollupCodec {
  private static final int NUMBER = 0;
  private static final int HISTOGRAM = 1;
  private static final int EXPONENTIAL = 2;
  private static final int SUMMARY = 3;
  private static final int EMPTY = 4;

  private RollupCodec() {}

  /**
   * A stored rollup of a window and whether it replaces (complete) or adds to the older ones of its
   * window. A complete one without a rollup says the window has no samples any more (all were
   * replaced by stale markers).
   */
  record Stored(boolean complete, long windowStartUnixNanos, Rollup rollup) {
    Stored(boolean complete, Rollup rollup) {
      this(complete, rollup.windowStartUnixNanos(), rollup);
    }

    static Stored empty(long windowStartUnixNanos) {
      return new Stored(true, windowStartUnixNanos, null);
    }

    /** This one stored after {@code earlier} (a later block's), as one. */
    Stored after(Stored earlier) {
      if (complete) {
        return this;
      }
      if (earlier.rollup == null) {
        return new Stored(true, windowStartUnixNanos, rollup);
      }
      return new Stored(
          earlier.complete, windowStartUnixNanos, Rollups.combine(earlier.rollup, rollup));
    }
  }

  /** Field by field for every kind. */
  private static final int GENERIC = 1;

  /** Number rollups as columns ({@link NumberRollupColumns}): nearly all rollups. */
  private static final int NUMBER_COLUMNS = 2;

  /** Encodes rollups sorted by window. */
  static byte[] encode(List<Stored> rollups) {
    boolean numbers = true;
    for (Stored stored : rollups) {
      numbers &= stored.rollup() == null || stored.rollup() instanceof NumberRollup;
    }
    if (numbers) {
      BitOutput bits = new BitOutput();
      NumberRollupColumns.write(bits, rollups);
      byte[] stream = bits.toBytes();
      ByteOutput out = new ByteOutput(stream.length + 1);
      out.writeByte(NUMBER_COLUMNS);
      out.writeBytes(stream, 0, stream.length);
      return out.toBytes();
    }
    ByteOutput out = new ByteOutput(rollups.size() * 64);
    out.writeByte(GENERIC);
    out.writeVarLong(rollups.size());
    long previousWindow = 0;
    for (Stored stored : rollups) {
      Rollup rollup = stored.rollup();
      out.writeByte(stored.complete() ? 1 : 0);
      out.writeZigZag(stored.windowStartUnixNanos() - previousWindow);
      previousWindow = stored.windowStartUnixNanos();
      if (rollup == null) {
        out.writeVarLong(0);
        out.writeByte(EMPTY);
        continue;
      }
      out.writeVarLong(rollup.count());
      PointBytes points = new PointBytes();
      switch (rollup) {
        case NumberRollup n -> {
          out.writeByte(NUMBER);
          writeSum(out, n.sum());
          out.writeDouble(n.min());
          out.writeDouble(n.max());
          points.write(out, n.first());
          points.write(out, n.last());
          writeSum(out, n.increase());
        }
        case HistogramRollup h -> {
          out.writeByte(HISTOGRAM);
          points.write(out, h.increase());
          writeSum(out, h.sumIncrease());
          points.write(out, h.last());
        }
        case ExponentialHistogramRollup e -> {
          out.writeByte(EXPONENTIAL);
          points.write(out, e.increase());
          writeSum(out, e.sumIncrease());
          points.write(out, e.last());
        }
        case SummaryRollup s -> {
          out.writeByte(SUMMARY);
          out.writeVarLong(s.countIncrease());
          writeSum(out, s.sumIncrease());
          points.write(out, s.last());
        }
      }
    }
    return out.toBytes();
  }

  static List<Stored> decode(byte[] data, int offset, int length) {
    ByteInput in = new ByteInput(data, offset, length);
    int format = in.readByte();
    if (format == NUMBER_COLUMNS) {
      return NumberRollupColumns.read(new BitInput(data, offset + 1, length - 1));
    }
    if (format != GENERIC) {
      throw new IllegalStateException("unknown rollup format " + format);
    }
    int count = in.readVarInt();
    List<Stored> rollups = new ArrayList<>(count);
    long window = 0;
    for (int i = 0; i < count; i++) {
      boolean complete = in.readByte() == 1;
      window += in.readZigZag();
      long samples = in.readVarLong();
      PointBytes points = new PointBytes();
      int kind = in.readByte();
      Rollup rollup =
          switch (kind) {
            case NUMBER -> {
              ExactSum sum = readSum(in);
              double min = in.readDouble();
              double max = in.readDouble();
              NumberPoint first = (NumberPoint) points.read(in);
              NumberPoint last = (NumberPoint) points.read(in);
              yield new NumberRollup(window, samples, sum, min, max, first, last, readSum(in));
            }
            case HISTOGRAM ->
                new HistogramRollup(
                    window,
                    samples,
                    (HistogramPoint) points.read(in),
                    readSum(in),
                    (HistogramPoint) points.read(in));
            case EXPONENTIAL ->
                new ExponentialHistogramRollup(
                    window,
                    samples,
                    (ExponentialHistogramPoint) points.read(in),
                    readSum(in),
                    (ExponentialHistogramPoint) points.read(in));
            case SUMMARY ->
                new SummaryRollup(
                    window, samples, in.readVarLong(), readSum(in), (SummaryPoint) points.read(in));
            case EMPTY -> null;
            default -> throw new IllegalStateException("unknown rollup kind " + kind);
          };
      rollups.add(new Stored(complete, window, rollup));
    }
    return rollups;
  }

  /** The partials' count and whether a non-finite sum follows them, then the doubles. */
  private static void writeSum(ByteOutput out, ExactSum sum) {
    double[] partials = sum.partials();
    boolean nonFinite = !Double.isFinite(sum.nonFinite());
    out.writeVarLong((long) partials.length << 1 | (nonFinite ? 1 : 0));
    for (double partial : partials) {
      out.writeDouble(partial);
    }
    if (nonFinite) {
      out.writeDouble(sum.nonFinite());
    }
  }

  private static ExactSum readSum(ByteInput in) {
    long header = in.readVarLong();
    double[] partials = new double[(int) (header >>> 1)];
    for (int i = 0; i < partials.length; i++) {
      partials[i] = in.readDouble();
    }
    return ExactSum.fromParts(partials, (header & 1) == 0 ? 0.0 : in.readDouble());
  }
}
