package dev.sextant.model;

/**
 * Which aggregator shard owns a series: a stable hash of the series' tenant and metric name, mapped
 * to one of {@code shards} by jump consistent hashing (Lamping and Veach, 2014).
 *
 * <p>The key is the metric, not the whole label set, because the aggregator's guardrails move
 * points between the series of one metric (a label rule's result, the metric's overflow series):
 * all the series of a metric must have one owner for its running sums and series limits to stay
 * exact. Jump hashing moves the fewest keys when the count changes: from {@code n} to {@code n + 1}
 * shards, only the metrics that go to the new shard move (about 1 in {@code n + 1}); nothing moves
 * between the shards that stay. Stable across processes and versions (the key is {@link
 * MetricSeries#idOf}'s SHA-256), so ingest and every aggregator agree without asking each other.
 */
public final class SeriesShards {
  private SeriesShards() {}

  /**
   * The shard, in {@code [0, shards)}, that owns the series of {@code metric} in {@code tenant}.
   */
  public static int owner(String tenant, String metric, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, got " + shards);
    }
    if (shards == 1) {
      return 0;
    }
    return jump(MetricSeries.idOf(tenant, metric, Labels.empty()), shards);
  }

  /** Jump consistent hash: the bucket in {@code [0, buckets)} of {@code key}. */
  static int jump(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }
}
