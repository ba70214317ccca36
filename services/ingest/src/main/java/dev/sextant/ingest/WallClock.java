package dev.sextant.ingest;

import java.time.Instant;

/** The current time in Unix epoch nanoseconds. */
final class WallClock {
  private WallClock() {}

  static long nowUnixNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
