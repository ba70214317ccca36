package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.query.TimeRange;

/**
 * Turns a request's start and end, both inclusive as in Prometheus' API, into the store's half-open
 * {@link TimeRange}.
 */
public final class TimeWindow {
  private TimeWindow() {}

  /** {@code [start, end]} inclusive; refuses an end before the start. */
  public static TimeRange inclusive(long startUnixNanos, long endUnixNanos) {
    if (startUnixNanos < 0 || endUnixNanos < 0) {
      throw RejectedRequestException.badInput("start and end must not be before 1970");
    }
    if (endUnixNanos < startUnixNanos) {
      throw RejectedRequestException.badInput(
          "end (" + endUnixNanos + " ns) is before start (" + startUnixNanos + " ns)");
    }
    long exclusiveEnd = endUnixNanos == Long.MAX_VALUE ? Long.MAX_VALUE : endUnixNanos + 1;
    return new TimeRange(startUnixNanos, exclusiveEnd);
  }

  /**
   * A REST window: end defaults to now, start to {@code lookbackNanos} before the end (never before
   * 1970).
   */
  public static TimeRange withDefaults(
      Long startUnixNanos, Long endUnixNanos, long nowUnixNanos, long lookbackNanos) {
    long end = endUnixNanos != null ? endUnixNanos : nowUnixNanos;
    long start = startUnixNanos != null ? startUnixNanos : Math.max(0, end - lookbackNanos);
    return inclusive(start, end);
  }
}
