package dev.sextant.storage.sqlite;

import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RowSet;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Retention's operations on a table of records (spans, logs): rows of one tenant, narrowed by
 * selectors read exactly as {@link RetentionSelector} defines them, walked through the table's
 * {@code (tenant, time)} index. Deletes go through the writer in batches of {@code batchRows}, one
 * transaction each, so ingest waits for one batch at most.
 */
final class RecordRetention {
  /** How each record table is read. {@code bytes} uses the alias {@code t.}. */
  enum Table {
    SPANS(
        "spans",
        "start_time",
        "48 + length(t.name) + length(t.status_message) + length(t.attributes)"
            + " + length(t.events) + length(t.links)"),
    LOGS(
        "logs",
        "time",
        "48 + length(t.body_text) + coalesce(length(t.body), 0) + length(t.attributes)");

    private final String name;
    private final String time;
    private final String bytes;

    Table(String name, String time, String bytes) {
      this.name = name;
      this.time = time;
      this.bytes = bytes;
    }

    String tableName() {
      return name;
    }

    String timeColumn() {
      return time;
    }
  }

  private static final String ENVIRONMENT_OF_RESOURCE =
      "(SELECT CASE WHEN json_type(r.attributes, '$.\"%1$s\"') IS NOT NULL"
          + " THEN CASE WHEN json_type(r.attributes, '$.\"%1$s\"') = 'text'"
          + " THEN json_extract(r.attributes, '$.\"%1$s\"') END"
          + " WHEN json_type(r.attributes, '$.\"%2$s\"') = 'text'"
          + " THEN json_extract(r.attributes, '$.\"%2$s\"') END"
          + " FROM resources r WHERE r.tenant = t.tenant AND r.id = t.resource_id)";

  private static final String OWN_TEXT_ATTRIBUTE =
      "CASE WHEN json_type(t.attributes, '$.\"%1$s\"') = 'text'"
          + " THEN json_extract(t.attributes, '$.\"%1$s\"') END";

  private RecordRetention() {}

  /** {@code AND}-clauses selecting the row set's rows of the table aliased {@code t}. */
  static String filter(RowSet rows, List<Object> parameters) {
    StringBuilder sql = new StringBuilder();
    String include = selector(rows.include(), parameters);
    if (include != null) {
      sql.append(" AND ").append(include);
    }
    for (RetentionSelector excluded : rows.exclude()) {
      String exclude = selector(excluded, parameters);
      // A selector of nothing excludes everything.
      sql.append(" AND NOT ").append(exclude == null ? "1" : exclude);
    }
    return sql.toString();
  }

  /** The selector as one condition; null when it selects everything. */
  private static String selector(RetentionSelector selector, List<Object> parameters) {
    List<String> terms = new ArrayList<>();
    // IS, not =: an absent field (NULL) never equals a wanted value, and NOT stays NOT.
    if (selector.service() != null) {
      terms.add("t.service_name IS ?");
      parameters.add(selector.service());
    }
    if (selector.environment() != null) {
      terms.add(
          String.format(
                  ENVIRONMENT_OF_RESOURCE,
                  RetentionSelector.ENVIRONMENT,
                  RetentionSelector.ENVIRONMENT_LEGACY)
              + " IS ?");
      parameters.add(selector.environment());
    }
    if (selector.entityType() != null) {
      terms.add(String.format(OWN_TEXT_ATTRIBUTE, RetentionSelector.ENTITY_TYPE) + " IS ?");
      parameters.add(selector.entityType());
    }
    if (selector.entityName() != null) {
      terms.add(String.format(OWN_TEXT_ATTRIBUTE, RetentionSelector.ENTITY_NAME) + " IS ?");
      parameters.add(selector.entityName());
    }
    return terms.isEmpty() ? null : "(" + String.join(" AND ", terms) + ")";
  }

  /** Deletes up to about {@code maxRows} rows of the set before the cutoff, batch by batch. */
  static CompletableFuture<Deleted> deleteBefore(
      SqliteDatabase database, Table table, RowSet rows, long cutoff, int maxRows, int batchRows) {
    return batches(database, table, rows, cutoff, maxRows, batchRows, 0, 0);
  }

  private static CompletableFuture<Deleted> batches(
      SqliteDatabase database,
      Table table,
      RowSet rows,
      long cutoff,
      int maxRows,
      int batchRows,
      long sumRows,
      long sumBytes) {
    int limit = (int) Math.max(1, Math.min(batchRows, maxRows - sumRows));
    return database
        .write(new Batch(table, rows, cutoff, limit))
        .thenCompose(
            batch -> {
              long total = sumRows + batch[0];
              long bytes = sumBytes + batch[1];
              boolean full = batch[0] == limit;
              if (full && total < maxRows) {
                return batches(database, table, rows, cutoff, maxRows, batchRows, total, bytes);
              }
              return CompletableFuture.completedFuture(new Deleted(total, bytes, full, cutoff));
            });
  }

  /** One transaction: up to {@code limit} rows; answers {rows, bytes}. */
  private record Batch(Table table, RowSet set, long cutoff, int limit)
      implements WriteTask<long[]> {
    @Override
    public int rows() {
      return limit;
    }

    @Override
    public long[] apply(StatementCache statements) throws SQLException {
      List<Object> parameters = new ArrayList<>();
      parameters.add(set.tenant());
      parameters.add(cutoff);
      String filter = filter(set, parameters);
      parameters.add(limit);
      String sql =
          "DELETE FROM "
              + table.name
              + " WHERE rowid IN (SELECT t.rowid FROM "
              + table.name
              + " t WHERE t.tenant = ? AND t."
              + table.time
              + " < ?"
              + filter
              + " LIMIT ?) RETURNING "
              // RETURNING cannot name the alias.
              + table.bytes.replace("t.", "");
      PreparedStatement delete = statements.prepare(sql);
      Parameters.bind(delete, parameters);
      long count = 0;
      long bytes = 0;
      try (ResultSet returned = delete.executeQuery()) {
        while (returned.next()) {
          count++;
          bytes += returned.getLong(1);
        }
      }
      return new long[] {count, bytes};
    }
  }

  static List<Bucket> histogram(
      StatementCache statements, Table table, RowSet rows, long before, long bucketNanos)
      throws SQLException {
    List<Object> parameters = new ArrayList<>();
    parameters.add(bucketNanos);
    parameters.add(bucketNanos);
    parameters.add(bucketNanos);
    parameters.add(rows.tenant());
    parameters.add(before);
    String filter = filter(rows, parameters);
    String time = "t." + table.time;
    String sql =
        "SELECT bucket, count(*), sum(bytes) FROM (SELECT "
            + time
            + " - (("
            + time
            + " % ?) + ?) % ? AS bucket, "
            + table.bytes
            + " AS bytes FROM "
            + table.name
            + " t WHERE t.tenant = ? AND "
            + time
            + " < ?"
            + filter
            + ") GROUP BY bucket ORDER BY bucket";
    PreparedStatement select = statements.prepare(sql);
    Parameters.bind(select, parameters);
    List<Bucket> buckets = new ArrayList<>();
    try (ResultSet result = select.executeQuery()) {
      while (result.next()) {
        buckets.add(new Bucket(result.getLong(1), result.getLong(2), result.getLong(3)));
      }
    }
    return buckets;
  }

  static OptionalLong oldest(StatementCache statements, Table table, RowSet rows)
      throws SQLException {
    List<Object> parameters = new ArrayList<>();
    parameters.add(rows.tenant());
    String filter = filter(rows, parameters);
    String sql =
        "SELECT t."
            + table.time
            + " FROM "
            + table.name
            + " t WHERE t.tenant = ?"
            + filter
            + " ORDER BY t."
            + table.time
            + " LIMIT 1";
    PreparedStatement select = statements.prepare(sql);
    Parameters.bind(select, parameters);
    try (ResultSet result = select.executeQuery()) {
      return result.next() ? OptionalLong.of(result.getLong(1)) : OptionalLong.empty();
    }
  }

  /**
   * Deletes the resources of each tenant that no record can use any more: those last seen well
   * before the tenant's oldest record (see {@link Resources}), all of a tenant that has none.
   */
  static CompletableFuture<Integer> deleteUnusedResources(SqliteDatabase database, Table table) {
    return database.write(
        new WriteTask<Integer>() {
          @Override
          public int rows() {
            return 1;
          }

          @Override
          public Integer apply(StatementCache statements) throws SQLException {
            PreparedStatement delete =
                statements.prepare(
                    "DELETE FROM resources WHERE tenant = ?1 AND last_seen < coalesce((SELECT min("
                        + table.time
                        + ") FROM "
                        + table.name
                        + " WHERE tenant = ?1) - ?2, 9223372036854775807)");
            int deleted = 0;
            for (String tenant : Retention.tenants(statements, "resources")) {
              delete.setString(1, tenant);
              delete.setLong(2, Resources.KEEP_BEHIND_CUTOFF_NANOS);
              deleted += delete.executeUpdate();
            }
            return deleted;
          }
        });
  }
}
