package dev.sextant.storage.postgres;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code deleteOlderThan} for a table whose rows are deleted by their partition key: every daily
 * partition that ends by the cutoff is counted and dropped whole (no row-by-row delete, no bloat);
 * the partition that straddles the cutoff and the default partition lose their older rows in
 * batches of {@code batchRows}, each its own statement, so no transaction grows large and writers
 * never wait long.
 */
final class TableRetention {
  private final PgClient client;
  private final String schema;
  private final String table;
  private final int batchRows;

  TableRetention(PgClient client, String schema, String table, int batchRows) {
    this.client = client;
    this.schema = schema;
    this.table = table;
    this.batchRows = batchRows;
  }

  Uni<Long> deleteOlderThan(long cutoff) {
    return client.call(
        "deleting old rows of " + table,
        pool ->
            Partitions.list(pool)
                .compose(
                    partitions -> {
                      List<Partitions.Partition> whole = new ArrayList<>();
                      List<Partitions.Partition> partial = new ArrayList<>();
                      for (Partitions.Partition p : partitions) {
                        if (!p.table().equals(table)) {
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
                        deleted = deleted.compose(n -> dropWhole(p).map(m -> n + m));
                      }
                      for (Partitions.Partition p : partial) {
                        deleted = deleted.compose(n -> deleteBatches(p, cutoff, n));
                      }
                      return deleted;
                    }));
  }

  private Future<Long> dropWhole(Partitions.Partition partition) {
    return client
        .vertxPool()
        .withTransaction(
            connection ->
                connection
                    .query("SELECT count(*) FROM " + Identifiers.quote(partition.name()))
                    .execute()
                    .compose(
                        rows -> {
                          long count = rows.iterator().next().getLong(0);
                          return Partitions.drop(connection, schema, partition).map(count);
                        }));
  }

  private Future<Long> deleteBatches(Partitions.Partition partition, long cutoff, long sofar) {
    String name = Identifiers.quote(partition.name());
    String key = Identifiers.quote(partition.keyColumn());
    return client
        .vertxPool()
        .preparedQuery(
            "DELETE FROM "
                + name
                + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
                + name
                + " WHERE "
                + key
                + " < $1 LIMIT $2))")
        .execute(Tuple.of(cutoff, batchRows))
        .compose(
            rows -> {
              long total = sofar + rows.rowCount();
              return rows.rowCount() < batchRows
                  ? Future.succeededFuture(total)
                  : deleteBatches(partition, cutoff, total);
            });
  }

  static long firstLong(io.vertx.sqlclient.RowSet<Row> rows) {
    Row row = rows.iterator().next();
    Long value = row.getLong(0);
    return value == null ? 0 : value;
  }
}
