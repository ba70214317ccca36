package dev.sextant.storage.sqlite;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.ExponentialHistogramPoint.Buckets;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The points of one series in one block, compressed: a byte header (format, point count, first and
 * last time, so readers skip a chunk outside their range without decoding it), then segments of at
 * most {@link #SEGMENT_POINTS} points, each with its count and time span up front and its bytes on
 * their own, so a reader of a few minutes of a long chunk decodes only the segments holding them
 * (Prometheus cuts its chunks at 120 samples for the same reason). A segment is a bit stream of
 * runs of one point kind each. A run holds its timestamps ({@link TimeCodec}) and its values:
 * numbers as Gorilla XOR streams ({@link XorCodec}); histograms, exponential histograms and
 * summaries field by field, integers as zigzag deltas against the previous point, doubles as XOR
 * streams of their own. Every double is kept by its raw bits, so the round trip is exact.
 *
 * <p>Format 1, written before segments, is one bit stream of runs after the header; it is still
 * read.
 */
final class ChunkCodec {
  /** One bit stream of runs after the header. */
  private static final int FORMAT_SINGLE = 1;

  /** Segments of at most {@link #SEGMENT_POINTS} points after the header. */
  private static final int FORMAT_SEGMENTED = 2;

  /** Points per segment, as many as Prometheus puts in a chunk. */
  static final int SEGMENT_POINTS = 120;

  private static final int NUMBER = 0;
  private static final int HISTOGRAM = 1;
  private static final int EXPONENTIAL = 2;
  private static final int SUMMARY = 3;

  private ChunkCodec() {}

  /** What a chunk holds, read without decoding its points. */
  record Header(int count, long minTime, long maxTime) {}

  /** Encodes points sorted by strictly increasing time (at least one). */
  static byte[] encode(List<? extends MetricPoint> points) {
    return encode(PointColumns.of(points));
  }

  /** Encodes points sorted by strictly increasing time (at least one). */
  static byte[] encode(PointColumns points) {
    return encode(points, 0, points.size);
  }

  /** Encodes {@code points[from..to)}, sorted by strictly increasing time (at least one). */
  static byte[] encode(PointColumns points, int first, int end) {
    int count = end - first;
    long minTime = points.times[first];
    long maxTime = points.times[end - 1];
    int segments = (count + SEGMENT_POINTS - 1) / SEGMENT_POINTS;
    ByteOutput out = new ByteOutput(16 + segments * 8 + count * 4);
    out.writeByte(FORMAT_SEGMENTED);
    out.writeVarLong(count);
    out.writeLong(minTime);
    out.writeVarLong(maxTime - minTime);
    out.writeVarLong(segments);
    byte[][] streams = new byte[segments][];
    for (int i = 0; i < segments; i++) {
      int from = first + i * SEGMENT_POINTS;
      int to = Math.min(end, from + SEGMENT_POINTS);
      streams[i] = segment(points, minTime, from, to);
      out.writeVarLong(to - from);
      out.writeVarLong(points.times[from] - minTime);
      out.writeVarLong(points.times[to - 1] - points.times[from]);
      out.writeVarLong(streams[i].length);
    }
    for (byte[] stream : streams) {
      out.writeBytes(stream, 0, stream.length);
    }
    return out.toBytes();
  }

  /** The bit stream of {@code points[from..to)}: its runs of one kind each. */
  private static byte[] segment(PointColumns points, long base, int from, int end) {
    BitOutput bits = new BitOutput();
    while (from < end) {
      int kind = kindOf(points, from);
      int to = from + 1;
      while (to < end && kindOf(points, to) == kind) {
        to++;
      }
      writeRun(bits, base, kind, points, from, to);
      from = to;
    }
    return bits.toBytes();
  }

  static Header header(byte[] data, int offset, int length) {
    ByteInput in = new ByteInput(data, offset, length);
    checkFormat(in.readByte());
    int count = in.readVarInt();
    long minTime = in.readLong();
    return new Header(count, minTime, minTime + in.readVarLong());
  }

  static List<MetricPoint> decode(byte[] data, int offset, int length) {
    return decode(data, offset, length, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * The points timestamped in {@code [from, before)} ({@code before} {@code Long.MAX_VALUE}: up to
   * and including that time). Segments wholly outside are skipped; decoding stops at the first
   * point at or after {@code before}, since times only increase.
   */
  static List<MetricPoint> decode(byte[] data, int offset, int length, long from, long before) {
    ByteInput in = new ByteInput(data, offset, length);
    int format = in.readByte();
    checkFormat(format);
    int count = in.readVarInt();
    long minTime = in.readLong();
    in.readVarLong();
    List<MetricPoint> points = new ArrayList<>();
    if (format == FORMAT_SINGLE) {
      int streamStart = in.position();
      readStream(
          new BitInput(data, streamStart, offset + length - streamStart),
          minTime,
          count,
          before,
          points);
    } else {
      int segments = in.readVarInt();
      int[] counts = new int[segments];
      long[] firsts = new long[segments];
      long[] lasts = new long[segments];
      int[] lengths = new int[segments];
      for (int i = 0; i < segments; i++) {
        counts[i] = in.readVarInt();
        firsts[i] = minTime + in.readVarLong();
        lasts[i] = firsts[i] + in.readVarLong();
        lengths[i] = in.readVarInt();
      }
      int start = in.position();
      for (int i = 0; i < segments; i++) {
        if (firsts[i] >= before && before != Long.MAX_VALUE) {
          break;
        }
        if (lasts[i] >= from
            && !readStream(
                new BitInput(data, start, lengths[i]), minTime, counts[i], before, points)) {
          break;
        }
        start += lengths[i];
      }
    }
    int first = 0;
    while (first < points.size() && points.get(first).timeUnixNanos() < from) {
      first++;
    }
    return first == 0 ? points : points.subList(first, points.size());
  }

  /**
   * Adds the {@code count} points of a stream that are before {@code before}; whether all of them
   * were, so that what follows may hold more.
   */
  private static boolean readStream(
      BitInput bits, long base, int count, long before, List<MetricPoint> points) {
    int read = 0;
    while (read < count) {
      int size = points.size();
      boolean whole = readRun(bits, base, points, before);
      read += points.size() - size;
      if (!whole) {
        return false;
      }
    }
    return true;
  }

  private static void checkFormat(int format) {
    if (format != FORMAT_SINGLE && format != FORMAT_SEGMENTED) {
      throw new IllegalStateException("unknown chunk format " + format);
    }
  }

  private static int kindOf(PointColumns points, int i) {
    MetricPoint object = points.object(i);
    return object == null ? NUMBER : kindOf(object);
  }

  private static int kindOf(MetricPoint point) {
    return switch (point) {
      case NumberPoint ignored -> NUMBER;
      case HistogramPoint ignored -> HISTOGRAM;
      case ExponentialHistogramPoint ignored -> EXPONENTIAL;
      case SummaryPoint ignored -> SUMMARY;
    };
  }

  private static void writeRun(
      BitOutput out, long base, int kind, PointColumns points, int from, int to) {
    out.writeBits(kind, 2);
    out.writeVarLong(to - from);
    TimeCodec.write(out, base, points.times, points.starts, from, to);
    if (kind == NUMBER) {
      XorCodec values = new XorCodec();
      for (int i = from; i < to; i++) {
        values.write(out, points.values[i]);
      }
      return;
    }
    List<MetricPoint> run = Arrays.asList(points.others).subList(from, to);
    switch (kind) {
      case HISTOGRAM -> new HistogramFields().write(out, run);
      case EXPONENTIAL -> new ExponentialFields().write(out, run);
      default -> new SummaryFields().write(out, run);
    }
  }

  /**
   * Adds a run's points timestamped before {@code before}; whether the whole run was, so that the
   * next run may hold more.
   */
  private static boolean readRun(BitInput in, long base, List<MetricPoint> points, long before) {
    int kind = (int) in.readBits(2);
    int n = (int) in.readVarLong();
    long[] times = new long[n];
    long[] starts = new long[n];
    TimeCodec.read(in, base, times, starts, n);
    int wanted = 0;
    while (wanted < n && (times[wanted] < before || before == Long.MAX_VALUE)) {
      wanted++;
    }
    switch (kind) {
      case NUMBER -> {
        XorCodec values = new XorCodec();
        for (int i = 0; i < wanted; i++) {
          points.add(new NumberPoint(starts[i], times[i], values.read(in)));
        }
      }
      case HISTOGRAM -> new HistogramFields().read(in, times, starts, wanted, points);
      case EXPONENTIAL -> new ExponentialFields().read(in, times, starts, wanted, points);
      default -> new SummaryFields().read(in, times, starts, wanted, points);
    }
    return wanted == n;
  }

  /** Integer fields as zigzag deltas against the same field of the previous point. */
  private static final class Counter {
    private long previous;

    void write(BitOutput out, long value) {
      out.writeZigZag(value - previous);
      previous = value;
    }

    long read(BitInput in) {
      previous += in.readZigZag();
      return previous;
    }
  }

  /** Bucket counts as deltas against the previous point's when their layout is unchanged. */
  private static final class CountArray {
    private long[] previous = new long[0];

    void write(BitOutput out, long[] counts) {
      boolean sameLength = counts.length == previous.length;
      out.writeBit(sameLength);
      if (!sameLength) {
        out.writeVarLong(counts.length);
        previous = new long[counts.length];
      }
      for (int i = 0; i < counts.length; i++) {
        out.writeZigZag(counts[i] - previous[i]);
      }
      previous = counts;
    }

    long[] read(BitInput in) {
      if (!in.readBit()) {
        previous = new long[(int) in.readVarLong()];
      }
      long[] counts = new long[previous.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = previous[i] + in.readZigZag();
      }
      previous = counts;
      return counts;
    }
  }

  /** Count, sum, min and max: the fields every histogram kind starts with. */
  private static final class Totals {
    final Counter count = new Counter();
    final XorCodec sum = new XorCodec();
    final XorCodec min = new XorCodec();
    final XorCodec max = new XorCodec();

    void write(BitOutput out, long c, double s, double lo, double hi) {
      count.write(out, c);
      sum.write(out, s);
      min.write(out, lo);
      max.write(out, hi);
    }

    Read read(BitInput in) {
      return new Read(count.read(in), sum.read(in), min.read(in), max.read(in));
    }

    record Read(long count, double sum, double min, double max) {}
  }

  private static final class HistogramFields {
    final Totals totals = new Totals();
    final XorCodec bound = new XorCodec();
    final CountArray buckets = new CountArray();
    double[] bounds;

    void write(BitOutput out, List<? extends MetricPoint> run) {
      for (MetricPoint p : run) {
        HistogramPoint h = (HistogramPoint) p;
        totals.write(out, h.count(), h.sum(), h.min(), h.max());
        double[] pointBounds = h.bounds();
        boolean same = bounds != null && Arrays.equals(bounds, pointBounds);
        out.writeBit(same);
        if (!same) {
          out.writeVarLong(pointBounds.length);
          for (double b : pointBounds) {
            bound.write(out, b);
          }
          bounds = pointBounds;
        }
        buckets.write(out, h.bucketCounts());
      }
    }

    void read(BitInput in, long[] times, long[] starts, int n, List<MetricPoint> points) {
      for (int i = 0; i < n; i++) {
        Totals.Read t = totals.read(in);
        if (!in.readBit()) {
          bounds = new double[(int) in.readVarLong()];
          for (int b = 0; b < bounds.length; b++) {
            bounds[b] = bound.read(in);
          }
        }
        points.add(
            new HistogramPoint(
                starts[i],
                times[i],
                t.count(),
                t.sum(),
                t.min(),
                t.max(),
                bounds,
                buckets.read(in)));
      }
    }
  }

  private static final class ExponentialFields {
    final Totals totals = new Totals();
    final Counter scale = new Counter();
    final Counter zeroCount = new Counter();
    final XorCodec zeroThreshold = new XorCodec();
    final Counter positiveOffset = new Counter();
    final CountArray positive = new CountArray();
    final Counter negativeOffset = new Counter();
    final CountArray negative = new CountArray();

    void write(BitOutput out, List<? extends MetricPoint> run) {
      for (MetricPoint p : run) {
        ExponentialHistogramPoint e = (ExponentialHistogramPoint) p;
        totals.write(out, e.count(), e.sum(), e.min(), e.max());
        scale.write(out, e.scale());
        zeroCount.write(out, e.zeroCount());
        zeroThreshold.write(out, e.zeroThreshold());
        positiveOffset.write(out, e.positive().offset());
        positive.write(out, e.positive().counts());
        negativeOffset.write(out, e.negative().offset());
        negative.write(out, e.negative().counts());
      }
    }

    void read(BitInput in, long[] times, long[] starts, int n, List<MetricPoint> points) {
      for (int i = 0; i < n; i++) {
        Totals.Read t = totals.read(in);
        int sc = (int) scale.read(in);
        long zero = zeroCount.read(in);
        double threshold = zeroThreshold.read(in);
        Buckets pos = new Buckets((int) positiveOffset.read(in), positive.read(in));
        Buckets neg = new Buckets((int) negativeOffset.read(in), negative.read(in));
        points.add(
            new ExponentialHistogramPoint(
                starts[i], times[i], t.count(), t.sum(), t.min(), t.max(), sc, zero, threshold, pos,
                neg));
      }
    }
  }

  private static final class SummaryFields {
    final Counter count = new Counter();
    final XorCodec sum = new XorCodec();
    final List<XorCodec> quantiles = new ArrayList<>();
    final List<XorCodec> values = new ArrayList<>();

    private XorCodec at(List<XorCodec> codecs, int index) {
      while (codecs.size() <= index) {
        codecs.add(new XorCodec());
      }
      return codecs.get(index);
    }

    void write(BitOutput out, List<? extends MetricPoint> run) {
      for (MetricPoint p : run) {
        SummaryPoint s = (SummaryPoint) p;
        count.write(out, s.count());
        sum.write(out, s.sum());
        out.writeVarLong(s.quantiles().size());
        for (int q = 0; q < s.quantiles().size(); q++) {
          at(quantiles, q).write(out, s.quantiles().get(q).quantile());
          at(values, q).write(out, s.quantiles().get(q).value());
        }
      }
    }

    void read(BitInput in, long[] times, long[] starts, int n, List<MetricPoint> points) {
      for (int i = 0; i < n; i++) {
        long c = count.read(in);
        double s = sum.read(in);
        int size = (int) in.readVarLong();
        List<SummaryPoint.Quantile> qs = new ArrayList<>(size);
        for (int q = 0; q < size; q++) {
          qs.add(new SummaryPoint.Quantile(at(quantiles, q).read(in), at(values, q).read(in)));
        }
        points.add(new SummaryPoint(starts[i], times[i], c, s, qs));
      }
    }
  }
}
