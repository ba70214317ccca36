package dev.sextant.ingest.otlp;

import java.time.Duration;

/**
 * The timestamps a request may carry: from 1970 up to now plus the tolerated clock skew. OTLP times
 * are fixed64, so a value above Long.MAX_VALUE arrives negative in Java and is refused rather than
 * read as a date before 1970.
 */
final class TimeWindow {
  private final long nowUnixNanos;
  private final long latestUnixNanos;

  private TimeWindow(long nowUnixNanos, long latestUnixNanos) {
    this.nowUnixNanos = nowUnixNanos;
    this.latestUnixNanos = latestUnixNanos;
  }

  static TimeWindow of(long nowUnixNanos, Duration maxSkew) {
    long skew;
    try {
      skew = maxSkew.toNanos();
    } catch (ArithmeticException e) {
      skew = Long.MAX_VALUE;
    }
    long latest = nowUnixNanos > Long.MAX_VALUE - skew ? Long.MAX_VALUE : nowUnixNanos + skew;
    return new TimeWindow(nowUnixNanos, latest);
  }

  long now() {
    return nowUnixNanos;
  }

  /** A required time: set, within range, not in the future. Null when valid. */
  Problem checkRequired(long unixNanos, String what) {
    if (unixNanos == 0) {
      return new Problem(RejectReason.MISSING_TIME, what + " is not set");
    }
    return checkOptional(unixNanos, what);
  }

  /** An optional time (0 = unknown): within range, not in the future. Null when valid. */
  Problem checkOptional(long unixNanos, String what) {
    if (unixNanos < 0) {
      return new Problem(
          RejectReason.TIME_OUT_OF_RANGE,
          what + " " + Long.toUnsignedString(unixNanos) + " is beyond the signed 64-bit range");
    }
    if (unixNanos > latestUnixNanos) {
      return new Problem(
          RejectReason.TIME_IN_FUTURE,
          what + " " + unixNanos + " is more than the allowed clock skew in the future");
    }
    return null;
  }

  /** Start and end of an interval: both required, end not before start. Null when valid. */
  Problem checkInterval(long startUnixNanos, long endUnixNanos, String start, String end) {
    Problem problem = checkRequired(startUnixNanos, start);
    if (problem == null) {
      problem = checkRequired(endUnixNanos, end);
    }
    if (problem == null && endUnixNanos < startUnixNanos) {
      problem = new Problem(RejectReason.END_BEFORE_START, end + " is before " + start);
    }
    return problem;
  }
}
