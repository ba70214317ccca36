package dev.sextant.retention;

import dev.sextant.storage.retention.Bucket;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a size cap cuts: the store's rows per hour, scaled to the room they take (the store's
 * measure of rows leaves out indexes and page slack; {@code scale} puts them back), kept newest
 * first until they would pass {@code target × cap}. The newest hour is always kept.
 */
final class SizeCap {
  private SizeCap() {}

  /** The total the buckets stand for. */
  static long total(List<Bucket> buckets, double scale) {
    double total = 0;
    for (Bucket bucket : buckets) {
      total += bucket.bytes() * scale;
    }
    return (long) total;
  }

  /**
   * The cutoff that brings the rows under the cap; empty when they are under it already.
   *
   * @param buckets oldest first, of one width, across every tenant the cap covers
   */
  static OptionalLong cutoff(
      List<Bucket> buckets, long bucketNanos, long capBytes, double target, double scale) {
    if (buckets.isEmpty() || total(buckets, scale) <= capBytes) {
      return OptionalLong.empty();
    }
    double keep = capBytes * target;
    double kept = 0;
    for (int i = buckets.size() - 1; i >= 0; i--) {
      kept += buckets.get(i).bytes() * scale;
      if (kept > keep) {
        return OptionalLong.of(
            i == buckets.size() - 1
                ? buckets.get(i).startUnixNanos()
                : buckets.get(i).startUnixNanos() + bucketNanos);
      }
    }
    return OptionalLong.empty();
  }
}
