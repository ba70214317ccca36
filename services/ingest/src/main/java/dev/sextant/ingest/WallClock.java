package dev.sextant.ingest;

import java.time.Instant;

/** The current time in Unix epoch nanoseconds. */
public final class WallClock {
  private WallClock() {}

  public static long nowUnixNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
