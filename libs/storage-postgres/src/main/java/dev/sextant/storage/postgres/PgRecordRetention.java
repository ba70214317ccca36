package dev.sextant.storage.postgres;

import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RowSet;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Retention's operations on a daily-partitioned table of records (spans, logs, span payloads,
 * Mastra metric events) for one {@link RowSet}: one tenant, narrowed by selectors read exactly as
 * {@link RetentionSelector} defines them (service column, environment from the resource, entity
 * from the record's own attributes; a payload through its span, an event through its labels).
 *
 * <p>Deleting a whole tenant's rows first drops every daily partition that ends by the cutoff and
 * holds no other tenant's rows (so a policy over every tenant, applied tenant by tenant, ends up
 * dropping whole days: no row-by-row delete, no bloat); the rest goes by batched {@code DELETE}s of
 * at most {@code batchRows} rows, each its own statement, up to the call's row budget.
 *
 * <p>A row's bytes are its logical size, the same in {@link #histogram}, {@link #deleteBefore} and
 * {@link #size}: a fixed 48 plus the lengths of its text and JSON columns.
 */
final class PgRecordRetention {
  /**
   * How each table is read, with the alias {@code t}: {@code time} is the column cutoffs compare
   * with (and partitions are keyed by), {@code oldest} the row's own time, {@code rows} how many
   * rows a table row counts for (a chunk: its points), {@code bytes} its logical size. Metric
   * tables are narrowed by series ids (their labels are read in Java), the others by their columns.
   */
  enum Table {
    SPANS(
        "spans",
        "start_time",
        "start_time",
        "1",
        "48 + octet_length(t.name) + octet_length(t.status_message)"
            + " + octet_length(t.attributes::text) + octet_length(t.events::text)"
            + " + octet_length(t.links::text)"),
    LOGS(
        "logs",
        "time",
        "time",
        "1",
        "48 + octet_length(t.body_text) + coalesce(octet_length(t.body::text), 0)"
            + " + octet_length(t.attributes::text)"),
    /** Narrowed by the fields of its span, where that is stored. */
    SPAN_PAYLOADS(
        "span_payloads",
        "start_time",
        "start_time",
        "1",
        "48 + octet_length(t.input) + octet_length(t.output)"),
    /** Narrowed by its labels, read as a metric series' labels. */
    METRIC_EVENTS(
        "metric_events",
        "time",
        "time",
        "1",
        "48 + octet_length(t.id) + octet_length(t.name) + octet_length(t.labels::text)"
            + " + octet_length(t.correlation::text) + octet_length(array_to_string(t.tags, ''))"
            + " + octet_length(t.cost_provider) + octet_length(t.cost_model)"
            + " + octet_length(t.cost_unit) + octet_length(t.cost_metadata)"
            + " + octet_length(t.metadata)"),
    /** Chunks lie within an hour window, so a cutoff on an hour never splits one. */
    METRIC_POINTS("metric_chunks", "window_start", "min_time", "t.points", CHUNK_BYTES),
    /** A window is before a cutoff when it ends by it: the caller moves the cutoff by a window. */
    METRIC_ROLLUPS_1M(
        "metric_rollups_1m", "window_start", "window_start", "1", CHUNK_BYTES, 60_000_000_000L),
    METRIC_ROLLUPS_1H(
        "metric_rollups_1h", "window_start", "window_start", "1", CHUNK_BYTES, 3_600_000_000_000L);

    final String name;
    final String time;
    final String oldest;
    final String rows;
    final String bytes;

    /** How far before a day partition's end its last possible time is (a window's length). */
    final long lastBeforeEnd;

    Table(String name, String time, String oldest, String rows, String bytes) {
      this(name, time, oldest, rows, bytes, 1);
    }

    Table(String name, String time, String oldest, String rows, String bytes, long lastBeforeEnd) {
      this.name = name;
      this.time = time;
      this.oldest = oldest;
      this.rows = rows;
      this.bytes = bytes;
      this.lastBeforeEnd = lastBeforeEnd;
    }

    /** Whether every row the day partition can hold has a time before the cutoff. */
    boolean wholeDayBefore(Partitions.Partition day, long cutoff) {
      return day.end() - lastBeforeEnd < cutoff;
    }

    boolean bySeries() {
      return this == METRIC_POINTS || this == METRIC_ROLLUPS_1M || this == METRIC_ROLLUPS_1H;
    }
  }

  private static final String CHUNK_BYTES = "48 + octet_length(t.data)";

  private final String schema;
  private final int batchRows;

  PgRecordRetention(String schema, int batchRows) {
    this.schema = schema;
    this.batchRows = batchRows;
  }

  /**
   * {@code WHERE} the set's rows: its tenant, its selectors — for a metric table the set's series
   * ({@code seriesIds}, null for all of the tenant's).
   */
  private static void where(Sql sql, Table table, RowSet rows, Long[] seriesIds) {
    sql.append(" WHERE t.tenant = ").append(sql.param(NulEscape.escape(rows.tenant())));
    if (table.bySeries()) {
      if (seriesIds != null) {
        sql.append(" AND t.series_id = ANY(").append(sql.param(seriesIds)).append("::int8[])");
      }
      return;
    }
    String include = selector(sql, table, rows.include());
    if (include != null) {
      sql.append(" AND coalesce(").append(include).append(", false)");
    }
    for (RetentionSelector excluded : rows.exclude()) {
      String exclude = selector(sql, table, excluded);
      // A selector of nothing excludes everything.
      sql.append(exclude == null ? " AND false" : " AND NOT coalesce(" + exclude + ", false)");
    }
  }

  /** The selector as one condition (NULL where a field is absent); null when it selects all. */
  private static String selector(Sql sql, Table table, RetentionSelector selector) {
    if (selector.isAny()) {
      return null;
    }
    return switch (table) {
      case SPANS, LOGS -> recordSelector(sql, "t", selector);
      // NULL (no fields) when the payload's span is not stored.
      case SPAN_PAYLOADS ->
          "(SELECT "
              + recordSelector(sql, "s", selector)
              + " FROM spans s WHERE s.tenant = t.tenant AND s.trace_id = t.trace_id"
              + " AND s.span_id = t.span_id AND s.start_time = t.start_time)";
      case METRIC_EVENTS -> labelSelector(sql, "t.labels", selector);
      case METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H ->
          throw new IllegalArgumentException("metric tables are narrowed by their series");
    };
  }

  /** On a span or log record (alias {@code row}): its service, resource and own attributes. */
  private static String recordSelector(Sql sql, String row, RetentionSelector selector) {
    List<String> conditions = new ArrayList<>();
    if (selector.service() != null) {
      conditions.add(row + ".service_name = " + sql.param(NulEscape.escape(selector.service())));
    }
    if (selector.environment() != null) {
      String resource = row + ".resource";
      String current = sql.param(RetentionSelector.ENVIRONMENT);
      String legacy = sql.param(RetentionSelector.ENVIRONMENT_LEGACY);
      conditions.add(
          "(CASE WHEN "
              + resource
              + " ? "
              + current
              + " THEN "
              + stringOf(resource, current)
              + " ELSE "
              + stringOf(resource, legacy)
              + " END) = "
              + sql.param(NulEscape.escape(selector.environment())));
    }
    if (selector.entityType() != null) {
      conditions.add(
          stringOf(row + ".attributes", sql.param(RetentionSelector.ENTITY_TYPE))
              + " = "
              + sql.param(NulEscape.escape(selector.entityType())));
    }
    if (selector.entityName() != null) {
      conditions.add(
          stringOf(row + ".attributes", sql.param(RetentionSelector.ENTITY_NAME))
              + " = "
              + sql.param(NulEscape.escape(selector.entityName())));
    }
    return "(" + String.join(" AND ", conditions) + ")";
  }

  /**
   * On a {@code jsonb} object of string labels, as {@link RetentionSelector#matches(
   * dev.sextant.model.MetricSeries)} reads a series: each field from the first of its labels
   * present.
   */
  private static String labelSelector(Sql sql, String labels, RetentionSelector selector) {
    List<String> conditions = new ArrayList<>();
    if (selector.service() != null) {
      conditions.add(
          firstLabel(sql, labels, List.of(RetentionSelector.SERVICE_LABEL), selector.service()));
    }
    if (selector.environment() != null) {
      conditions.add(
          firstLabel(sql, labels, RetentionSelector.ENVIRONMENT_KEYS, selector.environment()));
    }
    if (selector.entityType() != null) {
      conditions.add(
          firstLabel(sql, labels, RetentionSelector.ENTITY_TYPE_LABELS, selector.entityType()));
    }
    if (selector.entityName() != null) {
      conditions.add(
          firstLabel(sql, labels, RetentionSelector.ENTITY_NAME_LABELS, selector.entityName()));
    }
    return "(" + String.join(" AND ", conditions) + ")";
  }

  private static String firstLabel(Sql sql, String labels, List<String> keys, String value) {
    List<String> values = new ArrayList<>();
    for (String key : keys) {
      values.add(labels + " ->> " + sql.param(NulEscape.escape(key)) + "::text");
    }
    return "coalesce(" + String.join(", ", values) + ") = " + sql.param(NulEscape.escape(value));
  }

  /** The string value at the key, NULL when absent or not a string. */
  private static String stringOf(String json, String key) {
    return "(CASE WHEN jsonb_typeof("
        + json
        + " -> "
        + key
        + "::text) = 'string' THEN "
        + json
        + " ->> "
        + key
        + "::text END)";
  }

  Future<Deleted> deleteBefore(
      Pool pool, Table table, RowSet rows, Long[] seriesIds, long cutoff, int maxRows) {
    Future<long[]> dropped =
        seriesIds == null && rows.isWholeTenant()
            ? dropWholeDays(pool, table, rows, cutoff)
            : Future.succeededFuture(new long[2]);
    return dropped.compose(
        done -> deleteBatches(pool, table, rows, seriesIds, cutoff, maxRows, done[0], done[1]));
  }

  /** Drops the days ending by the cutoff that hold only the tenant's rows; [rows, bytes]. */
  private Future<long[]> dropWholeDays(Pool pool, Table table, RowSet rows, long cutoff) {
    return Partitions.list(pool)
        .compose(
            partitions -> {
              List<Partitions.Partition> days = new ArrayList<>();
              for (Partitions.Partition p : partitions) {
                if (p.table().equals(table.name)
                    && !p.isDefault()
                    && table.wholeDayBefore(p, cutoff)) {
                  days.add(p);
                }
              }
              days.sort(Comparator.comparing(Partitions.Partition::day));
              Future<long[]> total = Future.succeededFuture(new long[2]);
              for (Partitions.Partition day : days) {
                total = total.compose(sum -> dropIfOnlyTenant(pool, table, day, rows, sum));
              }
              return total;
            });
  }

  private Future<long[]> dropIfOnlyTenant(
      Pool pool, Table table, Partitions.Partition day, RowSet rows, long[] sum) {
    String name = Identifiers.quote(day.name());
    return pool.withTransaction(
        connection ->
            connection
                // Writers of that day wait until the drop commits (and then land in default).
                .query("LOCK TABLE " + name + " IN SHARE ROW EXCLUSIVE MODE")
                .execute()
                .compose(
                    locked ->
                        connection
                            .preparedQuery(
                                "SELECT coalesce(sum("
                                    + table.rows
                                    + "), 0)::int8, coalesce(sum("
                                    + table.bytes
                                    + "), 0)::int8, bool_and(t.tenant = $1) FROM "
                                    + name
                                    + " t")
                            .execute(Tuple.of(NulEscape.escape(rows.tenant()))))
                .compose(
                    counted -> {
                      Row row = counted.iterator().next();
                      long count = row.getLong(0);
                      if (count == 0 || !Boolean.TRUE.equals(row.getBoolean(2))) {
                        return Future.succeededFuture(sum);
                      }
                      long bytes = row.getLong(1);
                      return Partitions.drop(connection, schema, day)
                          .map(ignored -> new long[] {sum[0] + count, sum[1] + bytes});
                    }));
  }

  private Future<Deleted> deleteBatches(
      Pool pool,
      Table table,
      RowSet rows,
      Long[] seriesIds,
      long cutoff,
      int maxRows,
      long deleted,
      long bytes) {
    if (deleted >= maxRows) {
      return anyLeft(pool, table, rows, seriesIds, cutoff)
          .map(more -> new Deleted(deleted, bytes, more, cutoff));
    }
    int batch = (int) Math.min(batchRows, maxRows - deleted);
    Sql sql = new Sql();
    sql.append("DELETE FROM " + table.name + " t USING (SELECT t.tableoid AS o, t.ctid AS c FROM ")
        .append(table.name)
        .append(" t");
    where(sql, table, rows, seriesIds);
    sql.append(" AND t.")
        .append(table.time)
        .append(" < ")
        .append(sql.param(cutoff))
        .append(" LIMIT ")
        .append(sql.param(batch))
        .append(") d WHERE t.tableoid = d.o AND t.ctid = d.c RETURNING ")
        .append(table.rows)
        .append(", ")
        .append(table.bytes);
    return pool.preparedQuery(sql.text())
        .execute(sql.tuple())
        .compose(
            result -> {
              long sum = 0;
              long weight = 0;
              for (Row row : result) {
                weight += row.getLong(0);
                sum += row.getLong(1);
              }
              long total = deleted + weight;
              long totalBytes = bytes + sum;
              if (result.rowCount() < batch) {
                return Future.succeededFuture(new Deleted(total, totalBytes, false, cutoff));
              }
              return deleteBatches(
                  pool, table, rows, seriesIds, cutoff, maxRows, total, totalBytes);
            });
  }

  private static Future<Boolean> anyLeft(
      Pool pool, Table table, RowSet rows, Long[] seriesIds, long cutoff) {
    Sql sql = new Sql();
    sql.append("SELECT EXISTS (SELECT 1 FROM ").append(table.name).append(" t");
    where(sql, table, rows, seriesIds);
    sql.append(" AND t.").append(table.time).append(" < ").append(sql.param(cutoff)).append(")");
    return pool.preparedQuery(sql.text())
        .execute(sql.tuple())
        .map(result -> result.iterator().next().getBoolean(0));
  }

  Future<List<Bucket>> histogram(
      Pool pool, Table table, RowSet rows, Long[] seriesIds, long before, long bucketNanos) {
    Sql sql = new Sql();
    String width = sql.param(bucketNanos);
    String time = "t." + table.time;
    sql.append("SELECT ")
        .append(time)
        .append(" - (((")
        .append(time)
        .append(" % ")
        .append(width)
        .append(") + ")
        .append(width)
        .append(") % ")
        .append(width)
        .append(") AS bucket, sum(")
        .append(table.rows)
        .append(")::int8, sum(")
        .append(table.bytes)
        .append(")::int8 FROM ")
        .append(table.name)
        .append(" t");
    where(sql, table, rows, seriesIds);
    sql.append(" AND ")
        .append(time)
        .append(" < ")
        .append(sql.param(before))
        .append(" GROUP BY bucket ORDER BY bucket");
    return pool.preparedQuery(sql.text())
        .execute(sql.tuple())
        .map(
            result -> {
              List<Bucket> buckets = new ArrayList<>();
              for (Row row : result) {
                buckets.add(new Bucket(row.getLong(0), row.getLong(1), row.getLong(2)));
              }
              return buckets;
            });
  }

  Future<OptionalLong> oldest(Pool pool, Table table, RowSet rows, Long[] seriesIds) {
    Sql sql = new Sql();
    sql.append("SELECT min(t.")
        .append(table.oldest)
        .append(") FROM ")
        .append(table.name)
        .append(" t");
    where(sql, table, rows, seriesIds);
    return pool.preparedQuery(sql.text())
        .execute(sql.tuple())
        .map(
            result -> {
              Long oldest = result.iterator().next().getLong(0);
              return oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest);
            });
  }

  Future<List<String>> tenants(Pool pool, Table table) {
    // A metric tenant's rows all belong to its series, listed in one small table.
    return pool.query(
            "SELECT DISTINCT tenant COLLATE \"C\" AS tenant FROM "
                + (table.bySeries() ? "metric_series" : table.name)
                + " ORDER BY tenant")
        .execute()
        .map(
            result -> {
              List<String> tenants = new ArrayList<>();
              for (Row row : result) {
                tenants.add(NulEscape.unescape(row.getString(0)));
              }
              return tenants;
            });
  }

  /** The logical bytes of every tenant's rows (a scan of the table). */
  Future<Long> size(Pool pool, Table table) {
    return pool.query(
            "SELECT coalesce(sum(" + table.bytes + "), 0)::int8 FROM " + table.name + " t")
        .execute()
        .map(result -> result.iterator().next().getLong(0));
  }
}
