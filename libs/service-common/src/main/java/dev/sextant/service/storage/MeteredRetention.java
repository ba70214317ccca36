package dev.sextant.service.storage;

import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.retention.SignalSize;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The retention surface, timed like every other storage call: {@code
 * sextant_store_seconds{signal="retention"|<signal>,op}}. Operations on data are tagged with the
 * signal they touch, so a slow delete of logs shows as such.
 */
final class MeteredRetention implements RetentionStore {
  /** Times one call under a signal and an operation name. */
  interface Timer {
    <T> Uni<T> timed(String signal, String op, java.util.function.Supplier<Uni<T>> call);
  }

  private static final String RETENTION = "retention";

  private final RetentionStore delegate;
  private final Timer timer;

  MeteredRetention(RetentionStore delegate, Timer timer) {
    this.delegate = delegate;
    this.timer = timer;
  }

  @Override
  public boolean supported() {
    return delegate.supported();
  }

  @Override
  public Uni<List<RetentionPolicy>> policies() {
    return timer.timed(RETENTION, "policies", delegate::policies);
  }

  @Override
  public Uni<Boolean> savePolicy(RetentionPolicy policy) {
    return timer.timed(RETENTION, "save_policy", () -> delegate.savePolicy(policy));
  }

  @Override
  public Uni<Boolean> deletePolicy(String id, long version) {
    return timer.timed(RETENTION, "delete_policy", () -> delegate.deletePolicy(id, version));
  }

  @Override
  public Uni<Void> saveRun(RetentionRun run) {
    return timer.timed(RETENTION, "save_run", () -> delegate.saveRun(run));
  }

  @Override
  public Uni<Void> saveTask(String runId, RetentionTask task) {
    return timer.timed(RETENTION, "save_task", () -> delegate.saveTask(runId, task));
  }

  @Override
  public Uni<List<RetentionRun>> runs(String policyId, int limit) {
    return timer.timed(RETENTION, "runs", () -> delegate.runs(policyId, limit));
  }

  @Override
  public Uni<Integer> pruneRuns(int keep) {
    return timer.timed(RETENTION, "prune_runs", () -> delegate.pruneRuns(keep));
  }

  @Override
  public Uni<Optional<Lease>> acquireLease(
      String name, String owner, long nowUnixNanos, long ttlNanos) {
    return timer.timed(
        RETENTION,
        "acquire_lease",
        () -> delegate.acquireLease(name, owner, nowUnixNanos, ttlNanos));
  }

  @Override
  public Uni<Boolean> renewLease(Lease lease, long nowUnixNanos, long ttlNanos) {
    return timer.timed(
        RETENTION, "renew_lease", () -> delegate.renewLease(lease, nowUnixNanos, ttlNanos));
  }

  @Override
  public Uni<Void> releaseLease(Lease lease) {
    return timer.timed(RETENTION, "release_lease", () -> delegate.releaseLease(lease));
  }

  @Override
  public Uni<Optional<Lease>> lease(String name) {
    return timer.timed(RETENTION, "lease", () -> delegate.lease(name));
  }

  @Override
  public Set<RetentionSignal> signals() {
    return delegate.signals();
  }

  @Override
  public Uni<List<String>> tenants(RetentionSignal signal) {
    return timer.timed(signal.tag(), "tenants", () -> delegate.tenants(signal));
  }

  @Override
  public Uni<Deleted> deleteBefore(RowSet rows, long cutoffUnixNanos, int maxRows) {
    return timer.timed(
        rows.signal().tag(),
        "delete_before",
        () -> delegate.deleteBefore(rows, cutoffUnixNanos, maxRows));
  }

  @Override
  public Uni<List<Bucket>> histogram(RowSet rows, long beforeUnixNanos, long bucketNanos) {
    return timer.timed(
        rows.signal().tag(),
        "histogram",
        () -> delegate.histogram(rows, beforeUnixNanos, bucketNanos));
  }

  @Override
  public Uni<OptionalLong> oldest(RowSet rows) {
    return timer.timed(rows.signal().tag(), "oldest", () -> delegate.oldest(rows));
  }

  @Override
  public Uni<SignalSize> size(RetentionSignal signal) {
    return timer.timed(signal.tag(), "size", () -> delegate.size(signal));
  }

  @Override
  public Uni<Void> reclaim(RetentionSignal signal) {
    return timer.timed(signal.tag(), "reclaim", () -> delegate.reclaim(signal));
  }

  @Override
  public Uni<Void> reconcile(List<RetentionPolicy> policies) {
    return timer.timed(RETENTION, "reconcile", () -> delegate.reconcile(policies));
  }
}
