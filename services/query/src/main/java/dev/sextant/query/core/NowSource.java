package dev.sextant.query.core;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** "Now" in Unix nanoseconds, for default time ranges; one bean so tests could replace it. */
@ApplicationScoped
public class NowSource {
  public long nowUnixNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
