package dev.sextant.tracespec;

/** A span's duration within {@code [minNanos, maxNanos]}, both inclusive; absent bounds are -1. */
public record DurationBounds(long minNanos, long maxNanos) {
  public static final long NONE = -1;

  boolean allows(long nanos) {
    return (minNanos == NONE || nanos >= minNanos) && (maxNanos == NONE || nanos <= maxNanos);
  }

  @Override
  public String toString() {
    if (minNanos != NONE && maxNanos != NONE) {
      return "within " + Durations.format(minNanos) + ".." + Durations.format(maxNanos);
    }
    return minNanos != NONE
        ? ">= " + Durations.format(minNanos)
        : "<= " + Durations.format(maxNanos);
  }
}
