package dev.sextant.storage.clickhouse;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Versions of metric samples ({@code samples} is a {@code ReplacingMergeTree(version)}): one per
 * batch, the previous one plus one, or the wall clock rounded down to {@link #WINDOW_NANOS} when
 * that is larger; the first is the wall clock itself. Nanoseconds, like {@link VersionClock}, so
 * rows written before this clock compare right. What it guarantees:
 *
 * <ul>
 *   <li>In one process every later batch has a larger version: its rows replace earlier ones of the
 *       same series and time (rows of one batch never share a key).
 *   <li>A version is never ahead of the clock (a batch adds one nanosecond), so a process started
 *       later begins above every version an earlier one handed out: a restart keeps "the later
 *       write wins".
 *   <li>Between processes writing at once, a write in a later 10-second window wins. Only
 *       aggregator shards write samples, each its own metrics, and a shard writes a metric it gains
 *       only after the hand-over grace (two minutes by default), so in a later window.
 * </ul>
 *
 * <p>Why not the wall clock per batch ({@link VersionClock}): the rows of a series lie next to each
 * other (the sort key), and their versions then differ by the time between the batches that carried
 * them — as much entropy as the {@code time} column, 0.4–0.6 bytes a sample. Here they differ by
 * the number of batches between them, nearly constant, plus a window step now and then.
 */
final class SampleVersions {
  static final long WINDOW_NANOS = 10_000_000_000L;

  private final LongSupplier clockNanos;
  private final AtomicLong last;

  SampleVersions() {
    this(SampleVersions::wallClockNanos);
  }

  SampleVersions(LongSupplier clockNanos) {
    this.clockNanos = clockNanos;
    this.last = new AtomicLong(clockNanos.getAsLong() - 1);
  }

  /** The wall clock as finely as the platform gives it (microseconds or better on Linux). */
  private static long wallClockNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** The version of the next batch. */
  long next() {
    long window = Math.floorDiv(clockNanos.getAsLong(), WINDOW_NANOS) * WINDOW_NANOS;
    return last.updateAndGet(previous -> Math.max(previous + 1, window));
  }
}
