package dev.sextant.storage.query;

/** A half-open time range {@code [startUnixNanos, endUnixNanos)}. */
public record TimeRange(long startUnixNanos, long endUnixNanos) {
  public static final TimeRange ALL = new TimeRange(0, Long.MAX_VALUE);

  public TimeRange {
    if (endUnixNanos < startUnixNanos) {
      throw new IllegalArgumentException("time range ends before it starts");
    }
  }

  public boolean contains(long unixNanos) {
    return unixNanos >= startUnixNanos && unixNanos < endUnixNanos;
  }

  /** Whether {@code [first, last]} overlaps this range. */
  public boolean overlaps(long firstUnixNanos, long lastUnixNanos) {
    return lastUnixNanos >= startUnixNanos && firstUnixNanos < endUnixNanos;
  }
}
