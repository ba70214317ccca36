package dev.sextant.ingest.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong clock = new AtomicLong();

  @Test
  void allowsTheBurstThenTheRate() {
    RateLimiter limiter = new RateLimiter(100, 100, clock::get);
    assertThat(limiter.tryAcquire(60)).isTrue();
    assertThat(limiter.tryAcquire(40)).isTrue();
    assertThat(limiter.tryAcquire(1)).isFalse();
    clock.addAndGet(100_000_000L); // 0.1 s: 10 tokens
    assertThat(limiter.tryAcquire(11)).isFalse();
    assertThat(limiter.tryAcquire(10)).isTrue();
  }

  @Test
  void savesAtMostTheCapacity() {
    RateLimiter limiter = new RateLimiter(10, 20, clock::get);
    clock.addAndGet(60_000_000_000L);
    assertThat(limiter.tryAcquire(20)).isTrue();
    assertThat(limiter.tryAcquire(1)).isFalse();
  }

  @Test
  void aRequestLargerThanTheBucketPassesWhenFullAndLeavesDebt() {
    RateLimiter limiter = new RateLimiter(10, 10, clock::get);
    assertThat(limiter.tryAcquire(50)).isTrue();
    clock.addAndGet(3_000_000_000L); // 30 tokens earned, 40 owed
    assertThat(limiter.tryAcquire(1)).isFalse();
    clock.addAndGet(2_000_000_000L); // 10 saved
    assertThat(limiter.tryAcquire(10)).isTrue();
  }
}
