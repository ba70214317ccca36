package dev.sextant.storage.retention;

import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The retention surface of a backend that has none: every call fails with INVALID_ARGUMENT. */
final class UnsupportedRetentionStore implements RetentionStore {
  private final String kind;

  UnsupportedRetentionStore(String kind) {
    this.kind = kind;
  }

  private <T> Uni<T> unsupported() {
    return Uni.createFrom()
        .failure(
            new StorageException(
                StorageException.Code.INVALID_ARGUMENT,
                "the " + kind + " storage backend does not support retention"));
  }

  @Override
  public boolean supported() {
    return false;
  }

  @Override
  public Uni<List<RetentionPolicy>> policies() {
    return unsupported();
  }

  @Override
  public Uni<Boolean> savePolicy(RetentionPolicy policy) {
    return unsupported();
  }

  @Override
  public Uni<Boolean> deletePolicy(String id, long version) {
    return unsupported();
  }

  @Override
  public Uni<Void> saveRun(RetentionRun run) {
    return unsupported();
  }

  @Override
  public Uni<Void> saveTask(String runId, RetentionTask task) {
    return unsupported();
  }

  @Override
  public Uni<List<RetentionRun>> runs(String policyId, int limit) {
    return unsupported();
  }

  @Override
  public Uni<Integer> pruneRuns(int keep) {
    return unsupported();
  }

  @Override
  public Uni<Optional<Lease>> acquireLease(
      String name, String owner, long nowUnixNanos, long ttlNanos) {
    return unsupported();
  }

  @Override
  public Uni<Boolean> renewLease(Lease lease, long nowUnixNanos, long ttlNanos) {
    return unsupported();
  }

  @Override
  public Uni<Void> releaseLease(Lease lease) {
    return unsupported();
  }

  @Override
  public Uni<Optional<Lease>> lease(String name) {
    return unsupported();
  }

  @Override
  public Set<RetentionSignal> signals() {
    return Set.of();
  }

  @Override
  public Uni<List<String>> tenants(RetentionSignal signal) {
    return unsupported();
  }

  @Override
  public Uni<Deleted> deleteBefore(RowSet rows, long cutoffUnixNanos, int maxRows) {
    return unsupported();
  }

  @Override
  public Uni<List<Bucket>> histogram(RowSet rows, long beforeUnixNanos, long bucketNanos) {
    return unsupported();
  }

  @Override
  public Uni<OptionalLong> oldest(RowSet rows) {
    return unsupported();
  }

  @Override
  public Uni<SignalSize> size(RetentionSignal signal) {
    return unsupported();
  }

  @Override
  public Uni<Void> reclaim(RetentionSignal signal) {
    return unsupported();
  }
}
