package dev.sextant.storage.clickhouse;

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
import dev.sextant.storage.retention.SignalSize;
import io.smallrye.mutiny.Uni;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Retention on ClickHouse (ADR 0013): its records through {@link RetentionBook}, spans and logs
 * through {@link RecordRetention}, metric samples and rollup tiers through {@link MetricRetention}.
 * A signal's size is the uncompressed bytes of the active parts of its tables (what its rows stand
 * for, the measure row sizes and size caps use; ClickHouse stores them compressed), its free room
 * the parts on disk that ClickHouse drops by itself once merges replaced them; {@link #reclaim}
 * rewrites the parts that lightweight deletes masked ({@code APPLY DELETED MASK}). Like SQLite, the
 * agent-framework signals are not deleted by tenant here; the retention service deletes them for
 * every tenant through their own stores.
 */
final class ClickHouseRetentionStore implements RetentionStore {
  private static final Set<RetentionSignal> SIGNALS =
      EnumSet.of(
          RetentionSignal.SPANS,
          RetentionSignal.LOGS,
          RetentionSignal.METRIC_POINTS,
          RetentionSignal.METRIC_ROLLUPS_1M,
          RetentionSignal.METRIC_ROLLUPS_1H);

  private final ClickHouseAccess access;
  private final Schema schema;
  private final RetentionBook book;
  private final RecordRetention records;
  private final MetricRetention metrics;
  private final PolicyTtls ttls;

  ClickHouseRetentionStore(ClickHouseAccess access, Schema schema, VersionClock versions) {
    this.access = access;
    this.schema = schema;
    this.book = new RetentionBook(access, schema, versions);
    this.records = new RecordRetention(access, schema);
    this.metrics = new MetricRetention(access, schema, versions);
    this.ttls = new PolicyTtls(access, schema);
  }

  @Override
  public Uni<List<RetentionPolicy>> policies() {
    return book.policies();
  }

  @Override
  public Uni<Boolean> savePolicy(RetentionPolicy policy) {
    return book.savePolicy(policy);
  }

  @Override
  public Uni<Boolean> deletePolicy(String id, long version) {
    return book.deletePolicy(id, version);
  }

  @Override
  public Uni<Void> saveRun(RetentionRun run) {
    return book.saveRun(run);
  }

  @Override
  public Uni<Void> saveTask(String runId, RetentionTask task) {
    return book.saveTask(runId, task);
  }

  @Override
  public Uni<List<RetentionRun>> runs(String policyId, int limit) {
    return book.runs(policyId, limit);
  }

  @Override
  public Uni<Integer> pruneRuns(int keep) {
    return book.pruneRuns(keep);
  }

  @Override
  public Uni<Optional<Lease>> acquireLease(
      String name, String owner, long nowUnixNanos, long ttlNanos) {
    return book.acquireLease(name, owner, nowUnixNanos, ttlNanos);
  }

  @Override
  public Uni<Boolean> renewLease(Lease lease, long nowUnixNanos, long ttlNanos) {
    return book.renewLease(lease, nowUnixNanos, ttlNanos);
  }

  @Override
  public Uni<Void> releaseLease(Lease lease) {
    return book.releaseLease(lease);
  }

  @Override
  public Uni<Optional<Lease>> lease(String name) {
    return book.lease(name);
  }

  // ------------------------------------------------------------------ data

  @Override
  public Set<RetentionSignal> signals() {
    return SIGNALS;
  }

  private static void requireStored(RetentionSignal signal) {
    if (!SIGNALS.contains(signal)) {
      throw RecordRetention.notStored(signal.jsonName());
    }
  }

  private static RecordRetention.Table recordTable(RetentionSignal signal) {
    return switch (signal) {
      case SPANS -> RecordRetention.Table.SPANS;
      case LOGS -> RecordRetention.Table.LOGS;
      default -> null;
    };
  }

  @Override
  public Uni<List<String>> tenants(RetentionSignal signal) {
    return access.run(
        "list the tenants of " + signal.jsonName(),
        c -> {
          requireStored(signal);
          RecordRetention.Table table = recordTable(signal);
          return table != null ? records.tenants(c, table) : metrics.tenants(c, signal);
        });
  }

  @Override
  public Uni<Deleted> deleteBefore(RowSet rows, long cutoffUnixNanos, int maxRows) {
    RetentionSignal signal = rows.signal();
    return access.run(
        "delete old " + signal.jsonName(),
        c -> {
          requireStored(signal);
          if (maxRows < 1) {
            throw new StorageException(
                StorageException.Code.INVALID_ARGUMENT, "maxRows must be positive: " + maxRows);
          }
          RecordRetention.Table table = recordTable(signal);
          if (table != null) {
            return records.delete(c, table, rows, cutoffUnixNanos, maxRows);
          }
          if (signal == RetentionSignal.METRIC_POINTS) {
            return metrics.deletePoints(c, rows, cutoffUnixNanos, maxRows);
          }
          return metrics.deleteWindows(c, signal.rollupTier(), rows, cutoffUnixNanos, maxRows);
        });
  }

  @Override
  public Uni<List<Bucket>> histogram(RowSet rows, long beforeUnixNanos, long bucketNanos) {
    RetentionSignal signal = rows.signal();
    return access.run(
        "count old " + signal.jsonName(),
        c -> {
          requireStored(signal);
          if (bucketNanos <= 0) {
            throw new StorageException(
                StorageException.Code.INVALID_ARGUMENT, "bucket width must be positive");
          }
          RecordRetention.Table table = recordTable(signal);
          return table != null
              ? records.histogram(c, table, rows, beforeUnixNanos, bucketNanos)
              : metrics.histogram(c, signal, rows, beforeUnixNanos, bucketNanos);
        });
  }

  @Override
  public Uni<OptionalLong> oldest(RowSet rows) {
    RetentionSignal signal = rows.signal();
    return access.run(
        "find the oldest " + signal.jsonName(),
        c -> {
          requireStored(signal);
          RecordRetention.Table table = recordTable(signal);
          return table != null ? records.oldest(c, table, rows) : metrics.oldest(c, signal, rows);
        });
  }

  /** The tables (local names) holding a signal's rows. */
  private static List<String> tablesOf(RetentionSignal signal) {
    return switch (signal) {
      case SPANS -> List.of(Schema.SPANS, Schema.TRACE_INDEX);
      case LOGS -> List.of(Schema.LOGS);
      case METRIC_POINTS -> List.of(Schema.SAMPLES, Schema.SERIES);
      case METRIC_ROLLUPS_1M -> List.of(Schema.ROLLUPS_1M);
      case METRIC_ROLLUPS_1H -> List.of(Schema.ROLLUPS_1H);
      case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK -> List.of();
    };
  }

  @Override
  public Uni<SignalSize> size(RetentionSignal signal) {
    String parts =
        schema.clustered()
            ? "clusterAllReplicas(`" + schema.options().cluster() + "`, system.parts)"
            : "system.parts";
    return access.run(
        "measure " + signal.jsonName(),
        c -> {
          requireStored(signal);
          List<String> tables =
              tablesOf(signal).stream()
                  .map(t -> schema.local(t).substring(schema.database().length() + 1))
                  .toList();
          return access.queryBlocking(
              c,
              "SELECT toUInt64(sumIf(data_uncompressed_bytes, active)),"
                  + " toUInt64(sumIf(bytes_on_disk, NOT active)) FROM "
                  + parts
                  + " WHERE database = {db:String} AND table IN {tables:Array(String)}",
              Map.of("db", schema.database(), "tables", tables),
              in -> new SignalSize(in.int64(), in.int64()));
        });
  }

  @Override
  public Uni<Void> reclaim(RetentionSignal signal) {
    return access.run(
        "reclaim room of " + signal.jsonName(),
        c -> {
          requireStored(signal);
          for (String table : tablesOf(signal)) {
            access.everyNodeBlocking(
                c,
                "ALTER TABLE "
                    + schema.local(table)
                    + schema.onCluster()
                    + " APPLY DELETED MASK SETTINGS mutations_sync = 2",
                Map.of());
          }
          return null;
        });
  }

  /**
   * Sets the record tables' TTLs from the policies ({@link PolicyTtls}): the longest max age of a
   * signal whose policies are all enabled and cover every row, capped by the configured days.
   */
  @Override
  public Uni<Void> reconcile(List<RetentionPolicy> policies) {
    List<RetentionPolicy> current = List.copyOf(policies);
    return access.run(
        "set table TTLs from the retention policies",
        c -> {
          ttls.reconcile(c, current);
          return null;
        });
  }
}
