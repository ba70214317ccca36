package dev.sextant.retention;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it; replaces the system clock in every test. */
@Alternative
@Priority(1)
@Singleton
public class FakeClock extends Clock {
  /** 2026-03-01T00:00:00Z: where every test starts. */
  public static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

  private volatile Instant now = START;

  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("retention works in UTC instants only");
  }
}
