package dev.sextant.storage.retention;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What retention needs from a backend: its policies, its run history and its leases kept in the
 * store (so every retention instance sees the same), and, per signal, the operations that find,
 * measure and delete old rows of one tenant ({@link RowSet}).
 *
 * <p>Rules, beyond the SPI's (checked by {@code RetentionStoreConformance}):
 *
 * <ul>
 *   <li>Every data operation reaches the rows of its {@link RowSet} only: one tenant, the
 *       selector's rows without the excluded ones. A row at or after a cutoff is never deleted.
 *   <li>A row's time: a span's (and its payload's) start, a log record's, sample's or event's time.
 *       A rollup window is before a cutoff when it ends at or before it.
 *   <li>Deletion is in bounded steps — a backend with one writer (SQLite) deletes a few thousand
 *       rows per transaction so writers wait little — and idempotent: deleting again before the
 *       same cutoff removes nothing more. A backend that drops partitions or enforces TTLs itself
 *       may do that instead, as long as the rows before the cutoff are gone when the call returns
 *       (or, for TTLs, once {@link #reconcile} set them).
 *   <li>Raw metric samples go only where {@link
 *       dev.sextant.storage.MetricStore#rollupsCompleteBefore} says their rollups are stored; the
 *       rollups and the series stay readable, and {@link
 *       dev.sextant.storage.MetricStore#pointsRemovedBefore} moves to the cutoff.
 *   <li>Signals not in {@link #signals()} fail with {@code INVALID_ARGUMENT}.
 *   <li>Times come from the caller ({@code nowUnixNanos}), never from the backend's clock, so tests
 *       use a fake clock.
 * </ul>
 */
public interface RetentionStore {

  /**
   * Whether the backend has a retention surface at all; the retention service checks it at startup
   * and says loudly that nothing will be deleted rather than failing to start.
   */
  default boolean supported() {
    return true;
  }

  /** A store for a backend without retention support: every call fails, naming the backend. */
  static RetentionStore unsupported(String kind) {
    return new UnsupportedRetentionStore(kind);
  }

  // ------------------------------------------------------------------ policies

  /** Every policy of every tenant, by id. */
  Uni<List<RetentionPolicy>> policies();

  /**
   * Stores the policy if the stored one of its id has version {@code policy.version() - 1} (none,
   * for version 1); completes with whether it did.
   */
  Uni<Boolean> savePolicy(RetentionPolicy policy);

  /** Deletes the policy if its stored version is {@code version}; completes with whether it did. */
  Uni<Boolean> deletePolicy(String id, long version);

  // ------------------------------------------------------------------ runs

  /** Stores the run with its tasks, replacing a stored run of the same id. */
  Uni<Void> saveRun(RetentionRun run);

  /** Records one task of a stored run (replacing the task of the same step). */
  Uni<Void> saveTask(String runId, RetentionTask task);

  /**
   * Runs, newest start first, at most {@code limit}; of one policy when {@code policyId} is set.
   */
  Uni<List<RetentionRun>> runs(String policyId, int limit);

  /** Deletes finished runs beyond the newest {@code keep}; completes with how many went. */
  Uni<Integer> pruneRuns(int keep);

  // ------------------------------------------------------------------ leases

  /**
   * Takes the lease if nobody holds it, it expired, or {@code owner} holds it already (then renews
   * it); empty when someone else holds it.
   */
  Uni<Optional<Lease>> acquireLease(String name, String owner, long nowUnixNanos, long ttlNanos);

  /**
   * Extends the lease if it is still this one (same owner and token); false when it was taken over.
   */
  Uni<Boolean> renewLease(Lease lease, long nowUnixNanos, long ttlNanos);

  /** Gives the lease up if it is still this one. */
  Uni<Void> releaseLease(Lease lease);

  /** The lease of that name as stored (possibly expired), if any. */
  Uni<Optional<Lease>> lease(String name);

  // ------------------------------------------------------------------ data

  /** The signals this backend stores; no I/O. */
  Set<RetentionSignal> signals();

  /** The tenants having rows of the signal, sorted. */
  Uni<List<String>> tenants(RetentionSignal signal);

  /**
   * Deletes rows of the set before the cutoff, at most about {@code maxRows} in this call (a
   * backend may exceed it by one internal step).
   */
  Uni<Deleted> deleteBefore(RowSet rows, long cutoffUnixNanos, int maxRows);

  /**
   * The rows of the set before {@code beforeUnixNanos}, counted per bucket of {@code bucketNanos}
   * (epoch-aligned), oldest first, empty buckets left out. What {@link #deleteBefore} with a cutoff
   * at a bucket start would remove is the sum of the buckets before it (for raw metric samples:
   * where rollups are complete).
   */
  Uni<List<Bucket>> histogram(RowSet rows, long beforeUnixNanos, long bucketNanos);

  /** The time of the set's oldest row, if it has one. */
  Uni<OptionalLong> oldest(RowSet rows);

  /** The room the signal takes over every tenant. */
  Uni<SignalSize> size(RetentionSignal signal);

  /** Gives the room deleted rows left back to the file system (SQLite: incremental vacuum). */
  Uni<Void> reclaim(RetentionSignal signal);

  /**
   * The current policies, for a backend that enforces retention itself (TTLs): it sets them so that
   * rows expire as the policies say. Called after every policy change and at startup; does nothing
   * by default.
   */
  default Uni<Void> reconcile(List<RetentionPolicy> policies) {
    return Uni.createFrom().voidItem();
  }
}
