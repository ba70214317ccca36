package dev.sextant.ingest.admission;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code capacity} saved up. A
 * request larger than the whole bucket is let through when the bucket is full and leaves it in
 * debt, so large requests are slowed, not refused forever.
 */
public final class RateLimiter {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double ratePerSecond;
  private final double capacity;
  private final LongSupplier nanoClock;
  private double tokens;
  private long lastRefillNanos;

  public RateLimiter(double ratePerSecond, double capacity, LongSupplier nanoClock) {
    if (!(ratePerSecond > 0) || !(capacity > 0)) {
      throw new IllegalArgumentException("rate and capacity must be positive");
    }
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.nanoClock = nanoClock;
    this.tokens = capacity;
    this.lastRefillNanos = nanoClock.getAsLong();
  }

  /** Takes {@code records} tokens if the budget allows them now. */
  public synchronized boolean tryAcquire(long records) {
    refill();
    if (tokens < Math.min(records, capacity)) {
      return false;
    }
    tokens -= records;
    return true;
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    double earned = (now - lastRefillNanos) / NANOS_PER_SECOND * ratePerSecond;
    tokens = Math.min(capacity, tokens + earned);
    lastRefillNanos = now;
  }
}
