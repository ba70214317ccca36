package dev.sextant.storage.sqlite;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Retention on the SQLite files: its records in {@code retention.db} ({@link RetentionBook}),
 * records of spans and logs through {@link RecordRetention}, metric samples and rollups through
 * {@link MetricRowRetention}. Sizes are the pages of each signal's tables and indexes ({@code
 * dbstat}); {@link #reclaim} frees the pages deleted rows left with {@code incremental_vacuum}, so
 * the file shrinks. The signals of agent frameworks are not stored here yet.
 */
final class SqliteRetentionStore implements RetentionStore {
  private static final Set<RetentionSignal> SIGNALS =
      EnumSet.of(
          RetentionSignal.SPANS,
          RetentionSignal.LOGS,
          RetentionSignal.METRIC_POINTS,
          RetentionSignal.METRIC_ROLLUPS_1M,
          RetentionSignal.METRIC_ROLLUPS_1H);

  /** Metric pages rewritten per transaction at most: each is decoded and encoded again. */
  private static final int MAX_PAGES_PER_STEP = 256;

  private final Map<Signal, DatabaseAccess> access;
  private final RetentionBook book;
  private final int batchRows;

  SqliteRetentionStore(Map<Signal, DatabaseAccess> access, int batchRows) {
    this.access = access;
    this.book = new RetentionBook(access.get(Signal.RETENTION));
    this.batchRows = batchRows;
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

  /** The file of a stored signal; fails for the others. */
  private DatabaseAccess fileOf(RetentionSignal signal) {
    return switch (signal) {
      case SPANS -> access.get(Signal.SPANS);
      case LOGS -> access.get(Signal.LOGS);
      case METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H -> access.get(Signal.METRICS);
      case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK ->
          throw new StorageException(
              StorageException.Code.INVALID_ARGUMENT,
              "the sqlite storage backend does not store " + signal.jsonName());
    };
  }

  /** Fails through the Uni (not by throwing) for a signal this backend does not store. */
  private <T> Uni<T> on(
      RetentionSignal signal, java.util.function.Function<DatabaseAccess, Uni<T>> op) {
    return Uni.createFrom().deferred(() -> op.apply(fileOf(signal)));
  }

  private static RecordRetention.Table recordTable(RetentionSignal signal) {
    return signal == RetentionSignal.SPANS
        ? RecordRetention.Table.SPANS
        : RecordRetention.Table.LOGS;
  }

  private static PageTable pageTable(RetentionSignal signal) {
    return switch (signal) {
      case METRIC_POINTS -> PageTable.CHUNKS;
      case METRIC_ROLLUPS_1M -> PageTable.ROLLUPS_1M;
      case METRIC_ROLLUPS_1H -> PageTable.ROLLUPS_1H;
      case SPANS, SPAN_PAYLOADS, LOGS, METRIC_EVENTS, SCORES, FEEDBACK ->
          throw new IllegalArgumentException(signal.jsonName() + " is not a metric signal");
    };
  }

  private static boolean isRecords(RetentionSignal signal) {
    return signal == RetentionSignal.SPANS || signal == RetentionSignal.LOGS;
  }

  @Override
  public Uni<List<String>> tenants(RetentionSignal signal) {
    return on(
        signal,
        file ->
            file.read(
                statements ->
                    Retention.tenants(
                        statements,
                        isRecords(signal) ? recordTable(signal).tableName() : "series")));
  }

  @Override
  public Uni<Deleted> deleteBefore(RowSet rows, long cutoffUnixNanos, int maxRows) {
    if (maxRows < 1) {
      return Uni.createFrom()
          .failure(
              new StorageException(
                  StorageException.Code.INVALID_ARGUMENT, "maxRows must be positive: " + maxRows));
    }
    RetentionSignal signal = rows.signal();
    return on(
        signal,
        file ->
            isRecords(signal)
                ? file.run(
                    db ->
                        RecordRetention.deleteBefore(
                            db, recordTable(signal), rows, cutoffUnixNanos, maxRows, batchRows))
                : file.run(
                    db ->
                        MetricRowRetention.delete(
                            db,
                            pageTable(signal),
                            rows,
                            cutoffUnixNanos,
                            maxRows,
                            Math.max(1, Math.min(MAX_PAGES_PER_STEP, batchRows)))));
  }

  @Override
  public Uni<List<Bucket>> histogram(RowSet rows, long beforeUnixNanos, long bucketNanos) {
    if (bucketNanos <= 0) {
      return Uni.createFrom()
          .failure(
              new StorageException(
                  StorageException.Code.INVALID_ARGUMENT, "bucket width must be positive"));
    }
    RetentionSignal signal = rows.signal();
    return on(
        signal,
        file ->
            file.read(
                statements ->
                    isRecords(signal)
                        ? RecordRetention.histogram(
                            statements, recordTable(signal), rows, beforeUnixNanos, bucketNanos)
                        : MetricRowRetention.histogram(
                            statements, pageTable(signal), rows, beforeUnixNanos, bucketNanos)));
  }

  @Override
  public Uni<OptionalLong> oldest(RowSet rows) {
    RetentionSignal signal = rows.signal();
    return on(
        signal,
        file ->
            file.read(
                statements ->
                    isRecords(signal)
                        ? RecordRetention.oldest(statements, recordTable(signal), rows)
                        : MetricRowRetention.oldest(statements, pageTable(signal), rows)));
  }

  @Override
  public Uni<SignalSize> size(RetentionSignal signal) {
    return on(signal, file -> file.read(statements -> size(statements, signal)));
  }

  /**
   * The pages of the signal's tables and indexes: a record signal's table and the resources its
   * rows refer to; raw samples everything of metrics.db but the rollups; each tier its table.
   */
  private static SignalSize size(StatementCache statements, RetentionSignal signal)
      throws SQLException {
    List<String> tables =
        switch (signal) {
          case SPANS -> List.of("spans", "resources");
          case LOGS -> List.of("logs", "resources");
          case METRIC_ROLLUPS_1M -> List.of("rollups_1m");
          case METRIC_ROLLUPS_1H -> List.of("rollups_1h");
          case METRIC_POINTS -> metricTablesBut(statements, List.of("rollups_1m", "rollups_1h"));
          case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK -> List.of();
        };
    PreparedStatement trees =
        statements.prepare(
            "SELECT name FROM sqlite_schema WHERE tbl_name = ? AND type IN ('table', 'index')");
    PreparedStatement pages =
        statements.prepare(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE aggregate = 1 AND name = ?");
    long bytes = 0;
    for (String table : tables) {
      trees.setString(1, table);
      List<String> names = new ArrayList<>();
      try (ResultSet rows = trees.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      for (String name : names) {
        pages.setString(1, name);
        try (ResultSet rows = pages.executeQuery()) {
          rows.next();
          bytes += rows.getLong(1);
        }
      }
    }
    return new SignalSize(bytes, Retention.freePages(statements) * pageSize(statements));
  }

  private static List<String> metricTablesBut(StatementCache statements, List<String> others)
      throws SQLException {
    List<String> tables = new ArrayList<>();
    try (ResultSet rows =
        statements
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite_%'")
            .executeQuery()) {
      while (rows.next()) {
        if (!others.contains(rows.getString(1))) {
          tables.add(rows.getString(1));
        }
      }
    }
    return tables;
  }

  private static long pageSize(StatementCache statements) throws SQLException {
    try (ResultSet rows = statements.prepare("PRAGMA page_size").executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Override
  public Uni<Void> reclaim(RetentionSignal signal) {
    return on(
        signal,
        file ->
            file.run(
                db ->
                    (isRecords(signal)
                            ? RecordRetention.deleteUnusedResources(db, recordTable(signal))
                                .thenApply(ignored -> (Void) null)
                            : Blocks.collectAllGarbage(db, batchRows))
                        .thenCompose(ignored -> Retention.vacuum(db))));
  }
}
