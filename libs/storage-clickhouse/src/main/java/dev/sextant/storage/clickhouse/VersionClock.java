package dev.sextant.storage.clickhouse;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Row versions for the {@code ReplacingMergeTree} tables: the later write of the same key wins.
 * Wall-clock nanoseconds, strictly increasing within the process, so rows of one batch and of
 * consecutive batches are ordered as written.
 */
final class VersionClock {
  private final AtomicLong last = new AtomicLong();

  /** {@code count} consecutive versions, none handed out before; returns the first. */
  long next(int count) {
    long now = System.currentTimeMillis() * 1_000_000L;
    while (true) {
      long previous = last.get();
      long first = Math.max(previous + 1, now);
      if (last.compareAndSet(previous, first + count - 1)) {
        return first;
      }
    }
  }
}
