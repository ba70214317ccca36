package dev.sextant.storage.postgres;

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
 * The points of one series as bytes, bit for bit: each point is a header byte (kind, whether its
 * start time and histogram bounds repeat the previous point's), its time as a varint delta from the
 * previous point's, and its fields. Number values are XORed with the previous value's raw bits and
 * only the bytes between the leading and trailing zero bytes are written (a steady counter costs
 * 3-5 bytes a point; NaN payloads, the stale marker, -0.0 and the infinities come back exactly).
 * Points of any kind may follow each other, in any time order (the write-ahead log keeps arrival
 * order; chunks are sorted).
 */
final class PointCodec {
  private static final int NUMBER = 0;
  private static final int HISTOGRAM = 1;
  private static final int EXPONENTIAL = 2;
  private static final int SUMMARY = 3;
  private static final int SAME_START = 4;
  private static final int SAME_BOUNDS = 8;

  private PointCodec() {}

  static byte[] encode(List<? extends MetricPoint> points) {
    Bytes.Writer out = new Bytes.Writer(points.size() * 6 + 8);
    encodeInto(out, points);
    return out.toByteArray();
  }

  static void encodeInto(Bytes.Writer out, List<? extends MetricPoint> points) {
    out.writeUnsigned(points.size());
    long time = 0;
    long start = 0;
    long valueBits = 0;
    double[] bounds = null;
    for (MetricPoint point : points) {
      int header =
          switch (point) {
            case NumberPoint ignored -> NUMBER;
            case HistogramPoint ignored -> HISTOGRAM;
            case ExponentialHistogramPoint ignored -> EXPONENTIAL;
            case SummaryPoint ignored -> SUMMARY;
          };
      if (point.startTimeUnixNanos() == start) {
        header |= SAME_START;
      }
      double[] pointBounds = point instanceof HistogramPoint h ? h.bounds() : null;
      if (pointBounds != null && Arrays.equals(pointBounds, bounds)) {
        header |= SAME_BOUNDS;
      }
      out.writeByte(header);
      out.writeSigned(point.timeUnixNanos() - time);
      time = point.timeUnixNanos();
      if ((header & SAME_START) == 0) {
        out.writeSigned(point.startTimeUnixNanos() - start);
        start = point.startTimeUnixNanos();
      }
      switch (point) {
        case NumberPoint n -> {
          long bits = Double.doubleToRawLongBits(n.value());
          writeXor(out, bits ^ valueBits);
          valueBits = bits;
        }
        case HistogramPoint h -> {
          out.writeSigned(h.count());
          out.writeDouble(h.sum());
          out.writeDouble(h.min());
          out.writeDouble(h.max());
          if ((header & SAME_BOUNDS) == 0) {
            out.writeUnsigned(pointBounds.length);
            for (double b : pointBounds) {
              out.writeDouble(b);
            }
            bounds = pointBounds;
          }
          for (long c : h.bucketCounts()) {
            out.writeSigned(c);
          }
        }
        case ExponentialHistogramPoint e -> {
          out.writeSigned(e.count());
          out.writeDouble(e.sum());
          out.writeDouble(e.min());
          out.writeDouble(e.max());
          out.writeSigned(e.scale());
          out.writeSigned(e.zeroCount());
          out.writeDouble(e.zeroThreshold());
          writeBuckets(out, e.positive());
          writeBuckets(out, e.negative());
        }
        case SummaryPoint s -> {
          out.writeSigned(s.count());
          out.writeDouble(s.sum());
          out.writeUnsigned(s.quantiles().size());
          for (SummaryPoint.Quantile q : s.quantiles()) {
            out.writeDouble(q.quantile());
            out.writeDouble(q.value());
          }
        }
      }
    }
  }

  /**
   * Zero as one byte; otherwise a byte saying how many leading and trailing zero bytes, then the
   * rest.
   */
  private static void writeXor(Bytes.Writer out, long xor) {
    if (xor == 0) {
      out.writeByte(0);
      return;
    }
    int leading = Long.numberOfLeadingZeros(xor) / 8;
    int trailing = Long.numberOfTrailingZeros(xor) / 8;
    out.writeByte(1 + leading * 8 + trailing);
    out.writeLowBytes(xor >>> (trailing * 8), 8 - leading - trailing);
  }

  private static long readXor(Bytes.Reader in) {
    int control = in.readByte();
    if (control == 0) {
      return 0;
    }
    int leading = (control - 1) / 8;
    int trailing = (control - 1) % 8;
    return in.readLowBytes(8 - leading - trailing) << (trailing * 8);
  }

  private static void writeBuckets(Bytes.Writer out, Buckets buckets) {
    out.writeSigned(buckets.offset());
    out.writeUnsigned(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      out.writeSigned(buckets.count(i));
    }
  }

  private static Buckets readBuckets(Bytes.Reader in) {
    int offset = in.readInt();
    int size = Math.toIntExact(in.readUnsigned());
    if (size == 0 && offset == 0) {
      return Buckets.EMPTY;
    }
    long[] counts = new long[size];
    for (int i = 0; i < size; i++) {
      counts[i] = in.readSigned();
    }
    return new Buckets(offset, counts);
  }

  static List<MetricPoint> decode(byte[] bytes) {
    return decodeFrom(new Bytes.Reader(bytes));
  }

  static List<MetricPoint> decodeFrom(Bytes.Reader in) {
    int count = Math.toIntExact(in.readUnsigned());
    List<MetricPoint> points = new ArrayList<>(count);
    long time = 0;
    long start = 0;
    long valueBits = 0;
    double[] bounds = null;
    for (int i = 0; i < count; i++) {
      int header = in.readByte();
      time += in.readSigned();
      if ((header & SAME_START) == 0) {
        start += in.readSigned();
      }
      switch (header & 3) {
        case NUMBER -> {
          valueBits ^= readXor(in);
          points.add(new NumberPoint(start, time, Double.longBitsToDouble(valueBits)));
        }
        case HISTOGRAM -> {
          long histogramCount = in.readSigned();
          double sum = in.readDouble();
          double min = in.readDouble();
          double max = in.readDouble();
          if ((header & SAME_BOUNDS) == 0) {
            bounds = new double[Math.toIntExact(in.readUnsigned())];
            for (int b = 0; b < bounds.length; b++) {
              bounds[b] = in.readDouble();
            }
          }
          long[] counts = new long[bounds.length + 1];
          for (int b = 0; b < counts.length; b++) {
            counts[b] = in.readSigned();
          }
          points.add(
              new HistogramPoint(start, time, histogramCount, sum, min, max, bounds, counts));
        }
        case EXPONENTIAL -> {
          long histogramCount = in.readSigned();
          double sum = in.readDouble();
          double min = in.readDouble();
          double max = in.readDouble();
          int scale = in.readInt();
          long zeroCount = in.readSigned();
          double zeroThreshold = in.readDouble();
          Buckets positive = readBuckets(in);
          Buckets negative = readBuckets(in);
          points.add(
              new ExponentialHistogramPoint(
                  start,
                  time,
                  histogramCount,
                  sum,
                  min,
                  max,
                  scale,
                  zeroCount,
                  zeroThreshold,
                  positive,
                  negative));
        }
        default -> {
          long summaryCount = in.readSigned();
          double sum = in.readDouble();
          int quantiles = Math.toIntExact(in.readUnsigned());
          List<SummaryPoint.Quantile> list = new ArrayList<>(quantiles);
          for (int q = 0; q < quantiles; q++) {
            list.add(new SummaryPoint.Quantile(in.readDouble(), in.readDouble()));
          }
          points.add(new SummaryPoint(start, time, summaryCount, sum, list));
        }
      }
    }
    return points;
  }
}
