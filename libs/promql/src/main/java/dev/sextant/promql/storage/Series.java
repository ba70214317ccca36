package dev.sextant.promql.storage;

import dev.sextant.model.Labels;
import java.util.Arrays;

/**
 * One series: its labels including {@code __name__}, and its float samples in time order (Unix
 * milliseconds, no duplicate timestamps). A staleness marker is the NaN with bits {@code
 * 0x7ff0000000000002} ({@link dev.sextant.promql.value.StaleMarker}). The arrays may be longer than
 * {@code size}; only the first {@code size} entries count.
 */
public record Series(Labels labels, long[] timestamps, double[] values, int size) {
  public Series {
    if (timestamps.length < size || values.length < size) {
      throw new IllegalArgumentException("arrays shorter than size");
    }
  }

  public static Series of(Labels labels, long[] timestamps, double[] values) {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
    return new Series(labels, timestamps, values, timestamps.length);
  }

  /** The samples with {@code from <= t <= to}, sharing nothing with this series. */
  public Series slice(long from, long to) {
    int lo = lowerBound(from);
    int hi = lowerBound(to == Long.MAX_VALUE ? to : to + 1);
    return new Series(
        labels,
        Arrays.copyOfRange(timestamps, lo, hi),
        Arrays.copyOfRange(values, lo, hi),
        hi - lo);
  }

  private int lowerBound(long t) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timestamps[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
