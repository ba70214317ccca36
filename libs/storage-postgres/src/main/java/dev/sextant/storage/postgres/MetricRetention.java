package dev.sextant.storage.postgres;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.rollup.RollupTier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Metric retention: flush the log, then, under the schema's metric lock, drop every daily chunk
 * partition that ends by the cutoff (its point count summed first), delete or rewrite (without the
 * old points) the chunks of the straddling and default partitions page by page, and finally fix the
 * series rows: a series whose first point went gets its new first time, one left without chunks is
 * deleted with its rollup frontier (its next write creates it again). Rollup windows that end by
 * the cutoff go too: whole day partitions, then one statement for the rest. The count is of stored
 * chunk points; a sample replaced before compaction merged its chunks counts once per chunk holding
 * it.
 */
final class MetricRetention {
  private static final String OLD_CHUNKS =
      "SELECT tenant, series_id, window_start, id, max_time, data FROM %s"
          + " WHERE min_time < $1 LIMIT $2";

  private static final String FIX_SERIES =
      "WITH affected AS (SELECT tenant, series_id FROM metric_series WHERE first_time < $1"
          + " FOR UPDATE), bounds AS (SELECT a.tenant, a.series_id, min(c.min_time) AS first_time,"
          + " max(c.max_time) AS last_time FROM affected a LEFT JOIN metric_chunks c"
          + " ON c.tenant = a.tenant AND c.series_id = a.series_id GROUP BY 1, 2),"
          + " deleted AS (DELETE FROM metric_series s USING bounds b WHERE s.tenant = b.tenant"
          + " AND s.series_id = b.series_id AND b.first_time IS NULL RETURNING 1),"
          + " frontiers AS (DELETE FROM metric_rollup_frontiers f USING bounds b"
          + " WHERE f.tenant = b.tenant AND f.series_id = b.series_id AND b.first_time IS NULL"
          + " RETURNING 1)"
          + " UPDATE metric_series s SET first_time = b.first_time,"
          + " last_time = greatest(b.last_time, s.last_time),"
          + " last_bound = greatest(s.last_bound, b.last_time)"
          + " FROM bounds b WHERE s.tenant = b.tenant AND s.series_id = b.series_id"
          + " AND b.first_time IS NOT NULL";

  private final PgClient client;
  private final String schema;
  private final MetricWriter writer;
  private final int batchRows;

  MetricRetention(PgClient client, String schema, MetricWriter writer, int batchRows) {
    this.client = client;
    this.schema = schema;
    this.writer = writer;
    this.batchRows = Math.min(batchRows, 2000);
  }

  Uni<Long> deleteOlderThan(long cutoff) {
    return client.call(
        "deleting old metric points",
        pool ->
            writer
                .flush()
                .compose(flushed -> Partitions.list(pool))
                .compose(
                    partitions -> {
                      List<Partitions.Partition> whole = new ArrayList<>();
                      List<Partitions.Partition> partial = new ArrayList<>();
                      for (Partitions.Partition p : partitions) {
                        if (!p.table().equals("metric_chunks")) {
                          continue;
                        }
                        if (p.isDefault() || (p.day() < cutoff && p.end() > cutoff)) {
                          partial.add(p);
                        } else if (p.end() <= cutoff) {
                          whole.add(p);
                        }
                      }
                      whole.sort(Comparator.comparing(Partitions.Partition::day));
                      Future<Long> deleted = Future.succeededFuture(0L);
                      for (Partitions.Partition p : whole) {
                        deleted = deleted.compose(n -> dropWhole(pool, p).map(m -> n + m));
                      }
                      for (Partitions.Partition p : partial) {
                        deleted = deleted.compose(n -> trim(pool, p, cutoff, n));
                      }
                      for (RollupTier tier : RollupTier.values()) {
                        deleted =
                            deleted.compose(
                                n -> dropWindows(pool, partitions, tier, cutoff).map(n));
                      }
                      return deleted.compose(
                          n ->
                              AdvisoryLocks.withMetricLock(
                                      pool,
                                      schema,
                                      connection ->
                                          connection
                                              .preparedQuery(FIX_SERIES)
                                              .execute(Tuple.of(cutoff)))
                                  .map(n));
                    }));
  }

  /**
   * Deletes the tier's windows that end by the cutoff: whole day partitions where every window
   * does, one statement for the rest.
   */
  private Future<Void> dropWindows(
      Pool pool, List<Partitions.Partition> partitions, RollupTier tier, long cutoff) {
    String table = RollupWriter.table(tier);
    long before =
        MetricRowRetention.tableCutoff(
            tier == RollupTier.ONE_MINUTE
                ? dev.sextant.storage.retention.RetentionSignal.METRIC_ROLLUPS_1M
                : dev.sextant.storage.retention.RetentionSignal.METRIC_ROLLUPS_1H,
            cutoff);
    if (before == Long.MIN_VALUE) {
      return Future.succeededFuture();
    }
    Future<Void> done = Future.succeededFuture();
    for (Partitions.Partition p : partitions) {
      // Every window of the day (the last starts a window before its end) ends by the cutoff.
      if (p.table().equals(table) && !p.isDefault() && p.end() <= cutoff) {
        done =
            done.compose(
                x ->
                    AdvisoryLocks.withMetricLock(
                        pool, schema, connection -> Partitions.drop(connection, schema, p)));
      }
    }
    return done.compose(
        x ->
            AdvisoryLocks.withMetricLock(
                pool,
                schema,
                connection ->
                    connection
                        .preparedQuery("DELETE FROM " + table + " WHERE window_start < $1")
                        .execute(Tuple.of(before))
                        .compose(
                            deleted ->
                                RollupWriter.dropOpenBefore(connection, tier, null, null, before))
                        .mapEmpty()));
  }

  private Future<Void> lock(SqlConnection connection) {
    return AdvisoryLocks.lock(connection, "metrics", schema);
  }

  private Future<Long> dropWhole(Pool pool, Partitions.Partition partition) {
    return pool.withTransaction(
        connection ->
            lock(connection)
                .compose(
                    locked ->
                        connection
                            .query(
                                "SELECT coalesce(sum(points), 0) FROM "
                                    + Identifiers.quote(partition.name()))
                            .execute())
                .compose(
                    rows -> {
                      long points = rows.iterator().next().getLong(0);
                      return Partitions.drop(connection, schema, partition).map(points);
                    }));
  }

  /** Deletes or rewrites a page of the partition's chunks holding old points, then the next. */
  private Future<Long> trim(Pool pool, Partitions.Partition partition, long cutoff, long sofar) {
    String table = Identifiers.quote(partition.name());
    return pool.withTransaction(
            connection ->
                lock(connection)
                    .compose(
                        locked ->
                            connection
                                .preparedQuery(String.format(OLD_CHUNKS, table))
                                .execute(Tuple.of(cutoff, batchRows)))
                    .compose(rows -> rewrite(connection, table, rows, cutoff)))
        .compose(
            result ->
                result[1] < batchRows
                    ? Future.succeededFuture(sofar + result[0])
                    : trim(pool, partition, cutoff, sofar + result[0]));
  }

  /** Returns {points removed, chunks visited}. */
  private Future<long[]> rewrite(
      SqlConnection connection, String table, io.vertx.sqlclient.RowSet<Row> rows, long cutoff) {
    List<Long> gone = new ArrayList<>();
    List<Object[]> kept = new ArrayList<>();
    long removed = 0;
    for (Row row : rows) {
      long id = row.getLong(3);
      List<MetricPoint> points = PointCodec.decode(row.getBuffer(5).getBytes());
      if (row.getLong(4) < cutoff) {
        gone.add(id);
        removed += points.size();
        continue;
      }
      List<MetricPoint> newer = points.stream().filter(p -> p.timeUnixNanos() >= cutoff).toList();
      removed += points.size() - newer.size();
      kept.add(
          new Object[] {
            id,
            newer.getFirst().timeUnixNanos(),
            newer.size(),
            Buffer.buffer(PointCodec.encode(newer))
          });
    }
    long removedPoints = removed;
    int visited = rows.rowCount();
    Future<?> done = Future.succeededFuture();
    if (!gone.isEmpty()) {
      done =
          done.compose(
              x ->
                  connection
                      .preparedQuery("DELETE FROM " + table + " WHERE id = ANY($1::int8[])")
                      .execute(Tuple.of((Object) gone.toArray(new Long[0]))));
    }
    if (!kept.isEmpty()) {
      Long[] ids = new Long[kept.size()];
      Long[] firsts = new Long[kept.size()];
      Integer[] counts = new Integer[kept.size()];
      Buffer[] data = new Buffer[kept.size()];
      for (int i = 0; i < kept.size(); i++) {
        ids[i] = (Long) kept.get(i)[0];
        firsts[i] = (Long) kept.get(i)[1];
        counts[i] = (Integer) kept.get(i)[2];
        data[i] = (Buffer) kept.get(i)[3];
      }
      done =
          done.compose(
              x ->
                  connection
                      .preparedQuery(
                          "UPDATE "
                              + table
                              + " c SET min_time = u.min_time, points = u.points, data = u.data"
                              + " FROM unnest($1::int8[], $2::int8[], $3::int4[], $4::bytea[])"
                              + " AS u(id, min_time, points, data) WHERE c.id = u.id")
                      .execute(Tuple.from(new Object[] {ids, firsts, counts, data})));
    }
    return done.map(x -> new long[] {removedPoints, visited});
  }
}
