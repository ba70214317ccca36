package dev.sextant.storage.sqlite;

import dev.sextant.model.HistogramPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A histogram point's numbers as one little-endian blob, bit-exact (NaN min/max included): count,
 * sum, min, max, the number of bounds n, n bounds, n+1 bucket counts.
 */
final class HistogramBlob {
  private HistogramBlob() {}

  static byte[] encode(HistogramPoint point) {
    double[] bounds = point.bounds();
    long[] counts = point.bucketCounts();
    ByteBuffer buffer =
        ByteBuffer.allocate(8 * 4 + 4 + 8 * bounds.length + 8 * counts.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(point.count());
    buffer.putLong(Double.doubleToRawLongBits(point.sum()));
    buffer.putLong(Double.doubleToRawLongBits(point.min()));
    buffer.putLong(Double.doubleToRawLongBits(point.max()));
    buffer.putInt(bounds.length);
    for (double bound : bounds) {
      buffer.putLong(Double.doubleToRawLongBits(bound));
    }
    for (long count : counts) {
      buffer.putLong(count);
    }
    return buffer.array();
  }

  static HistogramPoint decode(long startTime, long time, byte[] blob) {
    ByteBuffer buffer = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    long count = buffer.getLong();
    double sum = Double.longBitsToDouble(buffer.getLong());
    double min = Double.longBitsToDouble(buffer.getLong());
    double max = Double.longBitsToDouble(buffer.getLong());
    double[] bounds = new double[buffer.getInt()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = Double.longBitsToDouble(buffer.getLong());
    }
    long[] counts = new long[bounds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = buffer.getLong();
    }
    return new HistogramPoint(startTime, time, count, sum, min, max, bounds, counts);
  }
}
