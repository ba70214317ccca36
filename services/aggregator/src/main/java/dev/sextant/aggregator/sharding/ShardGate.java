package dev.sextant.aggregator.sharding;

import dev.sextant.model.SeriesShards;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Which metrics one aggregator shard may write now, through changes of the shard count (ADR 0014).
 *
 * <p>A delta series' running sum must have one writer at a time, or two sums grow apart and deltas
 * are lost. When the count changes, each shard learns it on its own, a little apart from the others
 * and from ingest. So ownership is handed over in two moves:
 *
 * <ul>
 *   <li>a shard refuses a metric it no longer owns as soon as it sees the new count ({@link
 *       Decision#NOT_OWNER}; the sender retries, routed again), and its caller drops the running
 *       sums it held ({@code DeltaToCumulative.forgetAll}) so that a metric coming back later is
 *       read again from the store;
 *   <li>a shard that gains a metric refuses it for a grace period after the change ({@link
 *       Decision#HANDING_OVER}, retryable), the time for every other shard to see the change and
 *       for the old owner's last writes to commit. Then it takes the metric with no sum in memory,
 *       and reads its latest point from the store: the old owner's last commit.
 * </ul>
 *
 * <p>A metric owned under every count in force during the grace period keeps being written without
 * a pause. A shard that starts knows nothing of the counts before it, so everything it owns waits
 * one grace period; with one shard there is no one to hand over to and nothing waits.
 *
 * <p>Safe when the grace period is longer than the time between the first and the last shard seeing
 * a change plus the longest write in flight (the pipeline's ack timeout).
 */
public final class ShardGate {
  /** Whether a batch of a metric may be written here now. */
  public enum Decision {
    OWNED,
    /** Another shard owns it; retryable, the sender routes it again. */
    NOT_OWNER,
    /** Owned here from a recent change, not yet released by its old owner; retryable. */
    HANDING_OVER
  }

  /** A count that was in force until {@code endedNanos}; {@code count} 0: unknown (startup). */
  private record Past(int count, long endedNanos) {}

  private static final int UNKNOWN = 0;

  private final int ordinal;
  private final long graceNanos;
  private final LongSupplier clock;
  private final Deque<Past> recent = new ArrayDeque<>();
  private int count;

  /**
   * @param ordinal this shard's number, in {@code [0, count)} (the StatefulSet pod's ordinal)
   * @param count the shard count in force now
   * @param graceNanos how long a gained metric waits for its old owner
   * @param clock monotonic nanoseconds
   */
  public ShardGate(int ordinal, int count, long graceNanos, LongSupplier clock) {
    if (count < 1 || ordinal < 0) {
      throw new IllegalArgumentException("shard " + ordinal + " of " + count);
    }
    this.ordinal = ordinal;
    this.count = count;
    this.graceNanos = graceNanos;
    this.clock = clock;
    if (count > 1) {
      recent.add(new Past(UNKNOWN, clock.getAsLong()));
    }
  }

  /**
   * True when this shard may write any metric now without asking {@link #admit}: it is the only
   * shard, and no other count is within its grace period. Costs no hashing.
   */
  public synchronized boolean ownsEverything() {
    if (count != 1 || ordinal != 0) {
      return false;
    }
    forgetEnded(clock.getAsLong());
    return recent.isEmpty();
  }

  /** Whether this shard may write {@code metric} of {@code tenant} now. */
  public synchronized Decision admit(String tenant, String metric) {
    if (SeriesShards.owner(tenant, metric, count) != ordinal) {
      return Decision.NOT_OWNER;
    }
    forgetEnded(clock.getAsLong());
    for (Past past : recent) {
      if (past.count() == UNKNOWN || SeriesShards.owner(tenant, metric, past.count()) != ordinal) {
        return Decision.HANDING_OVER;
      }
    }
    return Decision.OWNED;
  }

  /** Drops the past counts whose grace period is over. */
  private void forgetEnded(long now) {
    while (!recent.isEmpty() && now - recent.peekFirst().endedNanos() >= graceNanos) {
      recent.removeFirst();
    }
  }

  /**
   * Takes a new shard count. Returns true when it changed: the caller must then drop the running
   * sums it keeps (series it no longer owns must be read from the store if they come back).
   */
  public synchronized boolean reconfigure(int newCount) {
    if (newCount < 1) {
      throw new IllegalArgumentException("shard count must be >= 1, got " + newCount);
    }
    if (newCount == count) {
      return false;
    }
    recent.addLast(new Past(count, clock.getAsLong()));
    count = newCount;
    return true;
  }

  public synchronized int count() {
    return count;
  }

  public int ordinal() {
    return ordinal;
  }

  /** How long a gained metric waits for its old owner, in nanoseconds. */
  public long graceNanos() {
    return graceNanos;
  }
}
