package dev.sextant.storage.sqlite;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.ExponentialHistogramPoint.Buckets;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Single points of any kind as bytes, cheap to write (the write-ahead log encodes every point on
 * the caller's thread): the kind, the time and start time as zigzag deltas against the previous
 * point written with the same instance (points of one batch share times), doubles as their raw
 * bits. One instance writes or reads one sequence.
 */
final class PointBytes {
  private static final int NUMBER = 0;
  private static final int HISTOGRAM = 1;
  private static final int EXPONENTIAL = 2;
  private static final int SUMMARY = 3;

  private long time;
  private long start;

  void write(ByteOutput out, MetricPoint point) {
    out.writeZigZag(point.timeUnixNanos() - time);
    out.writeZigZag(point.startTimeUnixNanos() - start);
    time = point.timeUnixNanos();
    start = point.startTimeUnixNanos();
    switch (point) {
      case NumberPoint n -> {
        out.writeByte(NUMBER);
        out.writeDouble(n.value());
      }
      case HistogramPoint h -> {
        out.writeByte(HISTOGRAM);
        out.writeVarLong(h.count());
        out.writeDouble(h.sum());
        out.writeDouble(h.min());
        out.writeDouble(h.max());
        double[] bounds = h.bounds();
        out.writeVarLong(bounds.length);
        for (double bound : bounds) {
          out.writeDouble(bound);
        }
        for (long count : h.bucketCounts()) {
          out.writeVarLong(count);
        }
      }
      case ExponentialHistogramPoint e -> {
        out.writeByte(EXPONENTIAL);
        out.writeVarLong(e.count());
        out.writeDouble(e.sum());
        out.writeDouble(e.min());
        out.writeDouble(e.max());
        out.writeZigZag(e.scale());
        out.writeVarLong(e.zeroCount());
        out.writeDouble(e.zeroThreshold());
        writeBuckets(out, e.positive());
        writeBuckets(out, e.negative());
      }
      case SummaryPoint s -> {
        out.writeByte(SUMMARY);
        out.writeVarLong(s.count());
        out.writeDouble(s.sum());
        out.writeVarLong(s.quantiles().size());
        for (SummaryPoint.Quantile q : s.quantiles()) {
          out.writeDouble(q.quantile());
          out.writeDouble(q.value());
        }
      }
    }
  }

  private static void writeBuckets(ByteOutput out, Buckets buckets) {
    out.writeZigZag(buckets.offset());
    out.writeVarLong(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      out.writeVarLong(buckets.count(i));
    }
  }

  MetricPoint read(ByteInput in) {
    time += in.readZigZag();
    start += in.readZigZag();
    int kind = in.readByte();
    return switch (kind) {
      case NUMBER -> new NumberPoint(start, time, in.readDouble());
      case HISTOGRAM -> {
        long count = in.readVarLong();
        double sum = in.readDouble();
        double min = in.readDouble();
        double max = in.readDouble();
        double[] bounds = new double[in.readVarInt()];
        for (int i = 0; i < bounds.length; i++) {
          bounds[i] = in.readDouble();
        }
        long[] counts = new long[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
          counts[i] = in.readVarLong();
        }
        yield new HistogramPoint(start, time, count, sum, min, max, bounds, counts);
      }
      case EXPONENTIAL ->
          new ExponentialHistogramPoint(
              start,
              time,
              in.readVarLong(),
              in.readDouble(),
              in.readDouble(),
              in.readDouble(),
              (int) in.readZigZag(),
              in.readVarLong(),
              in.readDouble(),
              readBuckets(in),
              readBuckets(in));
      case SUMMARY -> {
        long count = in.readVarLong();
        double sum = in.readDouble();
        int size = in.readVarInt();
        List<SummaryPoint.Quantile> quantiles = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          quantiles.add(new SummaryPoint.Quantile(in.readDouble(), in.readDouble()));
        }
        yield new SummaryPoint(start, time, count, sum, quantiles);
      }
      default -> throw new IllegalStateException("unknown point kind " + kind);
    };
  }

  private static Buckets readBuckets(ByteInput in) {
    int offset = (int) in.readZigZag();
    long[] counts = new long[in.readVarInt()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = in.readVarLong();
    }
    return counts.length == 0 && offset == 0 ? Buckets.EMPTY : new Buckets(offset, counts);
  }
}
