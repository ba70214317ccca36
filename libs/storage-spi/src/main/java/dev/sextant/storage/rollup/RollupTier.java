package dev.sextant.storage.rollup;

/**
 * The window lengths rollups are kept at. Windows are aligned to the Unix epoch: the one-minute
 * window holding time t starts at {@code t - floorMod(t, 60 s)}.
 */
public enum RollupTier {
  ONE_MINUTE(60_000_000_000L),
  ONE_HOUR(3_600_000_000_000L);

  private final long nanos;

  RollupTier(long nanos) {
    this.nanos = nanos;
  }

  /** The window length in nanoseconds. */
  public long nanos() {
    return nanos;
  }

  /** The start of the window holding {@code unixNanos}. */
  public long windowStart(long unixNanos) {
    return unixNanos - Math.floorMod(unixNanos, nanos);
  }

  /** The start of the first window starting at or after {@code unixNanos}. */
  public long firstWindowFrom(long unixNanos) {
    long start = windowStart(unixNanos);
    if (start == unixNanos) {
      return start;
    }
    return start > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : start + nanos;
  }
}
