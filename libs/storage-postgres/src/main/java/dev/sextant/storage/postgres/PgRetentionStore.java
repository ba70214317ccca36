package dev.sextant.storage.postgres;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.retention.SignalSize;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Retention on PostgreSQL (ADR 0011): policies, runs and leases in their tables (inherited from
 * {@link PgRetentionBook}); spans, logs, span payloads, Mastra metric events, raw metric samples
 * and both rollup tiers aged per tenant by {@link PgRecordRetention}, metric rows through {@link
 * MetricRowRetention} (ADR 0016). Scores and feedback are not offered to retention's policies yet
 * (refused by name); the retention service ages them for every tenant at once through their stores'
 * {@code deleteOlderThan}.
 */
final class PgRetentionStore extends PgRetentionBook {
  private static final Set<RetentionSignal> SIGNALS =
      EnumSet.of(
          RetentionSignal.SPANS,
          RetentionSignal.LOGS,
          RetentionSignal.SPAN_PAYLOADS,
          RetentionSignal.METRIC_EVENTS,
          RetentionSignal.METRIC_POINTS,
          RetentionSignal.METRIC_ROLLUPS_1M,
          RetentionSignal.METRIC_ROLLUPS_1H);

  private final PgClient client;
  private final PgRecordRetention records;
  private final MetricRowRetention metrics;

  PgRetentionStore(
      PgClient client, String schema, int batchRows, MetricWriter writer, RollupBackfill backfill) {
    super(client);
    this.client = client;
    this.records = new PgRecordRetention(schema, batchRows);
    this.metrics = new MetricRowRetention(schema, writer, backfill, records);
  }

  // ------------------------------------------------------------------ data

  @Override
  public Set<RetentionSignal> signals() {
    return SIGNALS;
  }

  /** Runs {@code op} on the signal's table; fails with INVALID_ARGUMENT for other signals. */
  private <T> Uni<T> on(
      RetentionSignal signal,
      String context,
      BiFunction<Pool, PgRecordRetention.Table, Future<T>> op) {
    PgRecordRetention.Table table =
        switch (signal) {
          case SPANS -> PgRecordRetention.Table.SPANS;
          case LOGS -> PgRecordRetention.Table.LOGS;
          case SPAN_PAYLOADS -> PgRecordRetention.Table.SPAN_PAYLOADS;
          case METRIC_EVENTS -> PgRecordRetention.Table.METRIC_EVENTS;
          case METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H ->
              MetricRowRetention.table(signal);
          case SCORES, FEEDBACK -> null;
        };
    if (table == null) {
      return Uni.createFrom()
          .failure(
              new StorageException(
                  StorageException.Code.INVALID_ARGUMENT,
                  "the postgres storage backend does not offer "
                      + signal.jsonName()
                      + " to retention policies"));
    }
    return client.call(context + " of " + signal.jsonName(), pool -> op.apply(pool, table));
  }

  @Override
  public Uni<List<String>> tenants(RetentionSignal signal) {
    return on(signal, "listing tenants", records::tenants);
  }

  @Override
  public Uni<Deleted> deleteBefore(RowSet rows, long cutoffUnixNanos, int maxRows) {
    if (maxRows < 1) {
      return Uni.createFrom()
          .failure(
              new StorageException(
                  StorageException.Code.INVALID_ARGUMENT, "maxRows must be positive: " + maxRows));
    }
    return on(
        rows.signal(),
        "deleting old rows",
        (pool, table) ->
            table.bySeries()
                ? metrics.deleteBefore(pool, rows.signal(), rows, cutoffUnixNanos, maxRows)
                : records.deleteBefore(pool, table, rows, null, cutoffUnixNanos, maxRows));
  }

  @Override
  public Uni<List<Bucket>> histogram(RowSet rows, long beforeUnixNanos, long bucketNanos) {
    if (bucketNanos <= 0) {
      return Uni.createFrom()
          .failure(
              new StorageException(
                  StorageException.Code.INVALID_ARGUMENT, "bucket width must be positive"));
    }
    return on(
        rows.signal(),
        "counting old rows",
        (pool, table) -> {
          if (!table.bySeries()) {
            return records.histogram(pool, table, rows, null, beforeUnixNanos, bucketNanos);
          }
          return metrics
              .tableCutoff(pool, rows.signal(), rows.tenant(), beforeUnixNanos)
              .compose(
                  before ->
                      before == Long.MIN_VALUE
                          ? Future.succeededFuture(List.<Bucket>of())
                          : metrics
                              .seriesOf(pool, rows)
                              .compose(
                                  ids ->
                                      records.histogram(
                                          pool, table, rows, ids, before, bucketNanos)));
        });
  }

  @Override
  public Uni<OptionalLong> oldest(RowSet rows) {
    return on(
        rows.signal(),
        "finding the oldest row",
        (pool, table) ->
            table.bySeries()
                ? metrics
                    .seriesOf(pool, rows)
                    .compose(ids -> records.oldest(pool, table, rows, ids))
                : records.oldest(pool, table, rows, null));
  }

  /**
   * The logical bytes of the signal's rows (as {@link #histogram} counts them); PostgreSQL reuses
   * the room of deleted rows itself (autovacuum), so no free room is reported.
   */
  @Override
  public Uni<SignalSize> size(RetentionSignal signal) {
    return on(
        signal,
        "measuring",
        (pool, table) -> records.size(pool, table).map(bytes -> new SignalSize(bytes, 0)));
  }

  /** {@code VACUUM} of the signal's table: dead rows' room becomes reusable at once. */
  @Override
  public Uni<Void> reclaim(RetentionSignal signal) {
    return on(
        signal,
        "reclaiming room",
        (pool, table) -> pool.query("VACUUM " + table.name).execute().mapEmpty());
  }
}
