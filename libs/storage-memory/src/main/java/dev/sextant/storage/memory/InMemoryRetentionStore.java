package dev.sextant.storage.memory;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.retention.RunStatus;
import dev.sextant.storage.retention.SignalSize;
import dev.sextant.storage.rollup.RollupTier;
import io.smallrye.mutiny.Uni;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Policies, runs and leases in maps, and retention's operations on the other in-memory stores. The
 * signals of agent frameworks (span payloads, metric events, scores, feedback) are not stored by
 * this backend yet and fail with {@code INVALID_ARGUMENT}.
 */
final class InMemoryRetentionStore implements RetentionStore {
  private static final Set<RetentionSignal> SIGNALS =
      EnumSet.of(
          RetentionSignal.SPANS,
          RetentionSignal.LOGS,
          RetentionSignal.METRIC_POINTS,
          RetentionSignal.METRIC_ROLLUPS_1M,
          RetentionSignal.METRIC_ROLLUPS_1H);

  private final Lifecycle lifecycle;
  private final InMemorySpanStore spans;
  private final InMemoryLogStore logs;
  private final InMemoryMetricStore metrics;
  private final Map<String, RetentionPolicy> policies = new TreeMap<>();
  private final Map<String, RetentionRun> runs = new LinkedHashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();

  InMemoryRetentionStore(
      Lifecycle lifecycle,
      InMemorySpanStore spans,
      InMemoryLogStore logs,
      InMemoryMetricStore metrics) {
    this.lifecycle = lifecycle;
    this.spans = spans;
    this.logs = logs;
    this.metrics = metrics;
  }

  synchronized void clear() {
    policies.clear();
    runs.clear();
    leases.clear();
  }

  // ------------------------------------------------------------------ policies

  @Override
  public Uni<List<RetentionPolicy>> policies() {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            return List.copyOf(policies.values());
          }
        });
  }

  @Override
  public Uni<Boolean> savePolicy(RetentionPolicy policy) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            RetentionPolicy stored = policies.get(policy.id());
            long expected = stored == null ? 0 : stored.version();
            if (policy.version() != expected + 1) {
              return false;
            }
            policies.put(policy.id(), policy);
            return true;
          }
        });
  }

  @Override
  public Uni<Boolean> deletePolicy(String id, long version) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            RetentionPolicy stored = policies.get(id);
            if (stored == null || stored.version() != version) {
              return false;
            }
            policies.remove(id);
            return true;
          }
        });
  }

  // ------------------------------------------------------------------ runs

  @Override
  public Uni<Void> saveRun(RetentionRun run) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            runs.put(run.id(), run);
          }
          return null;
        });
  }

  @Override
  public Uni<Void> saveTask(String runId, RetentionTask task) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            RetentionRun run = runs.get(runId);
            if (run == null) {
              throw new StorageException(
                  StorageException.Code.INVALID_ARGUMENT, "no retention run " + runId);
            }
            runs.put(runId, run.withTask(task));
          }
          return null;
        });
  }

  private static final Comparator<RetentionRun> NEWEST_FIRST =
      Comparator.comparingLong(RetentionRun::startedUnixNanos)
          .reversed()
          .thenComparing(RetentionRun::id, Comparator.reverseOrder());

  @Override
  public Uni<List<RetentionRun>> runs(String policyId, int limit) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            return runs.values().stream()
                .filter(run -> policyId == null || policyId.equals(run.policyId()))
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
          }
        });
  }

  @Override
  public Uni<Integer> pruneRuns(int keep) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            List<RetentionRun> finished =
                runs.values().stream()
                    .filter(run -> run.status() != RunStatus.RUNNING)
                    .sorted(NEWEST_FIRST)
                    .toList();
            int pruned = 0;
            for (RetentionRun old :
                finished.subList(Math.min(keep, finished.size()), finished.size())) {
              runs.remove(old.id());
              pruned++;
            }
            return pruned;
          }
        });
  }

  // ------------------------------------------------------------------ leases

  @Override
  public Uni<Optional<Lease>> acquireLease(
      String name, String owner, long nowUnixNanos, long ttlNanos) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            Optional<Lease> granted =
                Lease.grant(leases.get(name), name, owner, nowUnixNanos, ttlNanos);
            granted.ifPresent(lease -> leases.put(name, lease));
            return granted;
          }
        });
  }

  @Override
  public Uni<Boolean> renewLease(Lease lease, long nowUnixNanos, long ttlNanos) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            if (!lease.isHeldAs(leases.get(lease.name()))) {
              return false;
            }
            leases.put(lease.name(), lease.renewed(nowUnixNanos, ttlNanos));
            return true;
          }
        });
  }

  @Override
  public Uni<Void> releaseLease(Lease lease) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            if (lease.isHeldAs(leases.get(lease.name()))) {
              leases.put(lease.name(), lease.released());
            }
          }
          return null;
        });
  }

  @Override
  public Uni<Optional<Lease>> lease(String name) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            return Optional.ofNullable(leases.get(name));
          }
        });
  }

  // ------------------------------------------------------------------ data

  @Override
  public Set<RetentionSignal> signals() {
    return SIGNALS;
  }

  private static void requireStored(RetentionSignal signal) {
    if (!SIGNALS.contains(signal)) {
      throw new StorageException(
          StorageException.Code.INVALID_ARGUMENT,
          "the memory storage backend does not store " + signal.jsonName());
    }
  }

  @Override
  public Uni<List<String>> tenants(RetentionSignal signal) {
    return lifecycle.run(
        () -> {
          requireStored(signal);
          return switch (signal) {
            case SPANS -> spans.tenants();
            case LOGS -> logs.tenants();
            case METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H -> metrics.tenants(signal);
            case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK -> List.of();
          };
        });
  }

  @Override
  public Uni<Deleted> deleteBefore(RowSet rows, long cutoffUnixNanos, int maxRows) {
    return lifecycle.run(
        () -> {
          requireStored(rows.signal());
          if (maxRows < 1) {
            throw new StorageException(
                StorageException.Code.INVALID_ARGUMENT, "maxRows must be positive: " + maxRows);
          }
          return switch (rows.signal()) {
            case SPANS -> spans.deleteBefore(rows, cutoffUnixNanos, maxRows);
            case LOGS -> logs.deleteBefore(rows, cutoffUnixNanos, maxRows);
            case METRIC_POINTS -> metrics.deletePoints(rows, cutoffUnixNanos, maxRows);
            case METRIC_ROLLUPS_1M ->
                metrics.deleteWindows(RollupTier.ONE_MINUTE, rows, cutoffUnixNanos, maxRows);
            case METRIC_ROLLUPS_1H ->
                metrics.deleteWindows(RollupTier.ONE_HOUR, rows, cutoffUnixNanos, maxRows);
            case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK -> new Deleted(0, 0, false, 0);
          };
        });
  }

  @Override
  public Uni<List<Bucket>> histogram(RowSet rows, long beforeUnixNanos, long bucketNanos) {
    return lifecycle.run(
        () -> {
          requireStored(rows.signal());
          return switch (rows.signal()) {
            case SPANS -> spans.histogram(rows, beforeUnixNanos, bucketNanos);
            case LOGS -> logs.histogram(rows, beforeUnixNanos, bucketNanos);
            case METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H ->
                metrics.histogram(rows.signal(), rows, beforeUnixNanos, bucketNanos);
            case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK -> List.<Bucket>of();
          };
        });
  }

  @Override
  public Uni<OptionalLong> oldest(RowSet rows) {
    return lifecycle.run(
        () -> {
          requireStored(rows.signal());
          return switch (rows.signal()) {
            case SPANS -> spans.oldest(rows);
            case LOGS -> logs.oldest(rows);
            case METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H ->
                metrics.oldest(rows.signal(), rows);
            case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK -> OptionalLong.empty();
          };
        });
  }

  @Override
  public Uni<SignalSize> size(RetentionSignal signal) {
    return lifecycle.run(
        () -> {
          requireStored(signal);
          long bytes =
              switch (signal) {
                case SPANS -> spans.bytes();
                case LOGS -> logs.bytes();
                case METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H -> metrics.bytes(signal);
                case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK -> 0;
              };
          return new SignalSize(bytes, 0);
        });
  }

  /** The heap gives room back by itself. */
  @Override
  public Uni<Void> reclaim(RetentionSignal signal) {
    return lifecycle.run(
        () -> {
          requireStored(signal);
          return null;
        });
  }
}
