package dev.sextant.storage.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts rows into epoch-aligned buckets for {@link RetentionStore#histogram}: one definition of
 * the bucket a time falls in, for every backend.
 */
public final class BucketCounter {
  private final long width;
  private final TreeMap<Long, long[]> buckets = new TreeMap<>();

  public BucketCounter(long bucketNanos) {
    if (bucketNanos <= 0) {
      throw new IllegalArgumentException("bucket width must be positive, got " + bucketNanos);
    }
    this.width = bucketNanos;
  }

  /** The start of the bucket holding {@code unixNanos}. */
  public static long bucketStart(long unixNanos, long bucketNanos) {
    return unixNanos - Math.floorMod(unixNanos, bucketNanos);
  }

  /** Counts {@code rows} rows of {@code bytes} in total at this time. */
  public void add(long unixNanos, long rows, long bytes) {
    long[] counts = buckets.computeIfAbsent(bucketStart(unixNanos, width), k -> new long[2]);
    counts[0] += rows;
    counts[1] += bytes;
  }

  /** The buckets with rows, oldest first. */
  public List<Bucket> buckets() {
    List<Bucket> out = new ArrayList<>(buckets.size());
    for (Map.Entry<Long, long[]> bucket : buckets.entrySet()) {
      out.add(new Bucket(bucket.getKey(), bucket.getValue()[0], bucket.getValue()[1]));
    }
    return out;
  }
}
