package dev.sextant.retention;

import java.time.Instant;

/** Instants as the Unix epoch nanoseconds every store uses. */
final class UnixNanos {
  private UnixNanos() {}

  /** Nanoseconds since the epoch; saturates at the ends of the long range (years 1677 and 2262). */
  static long of(Instant instant) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (ArithmeticException e) {
      return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
