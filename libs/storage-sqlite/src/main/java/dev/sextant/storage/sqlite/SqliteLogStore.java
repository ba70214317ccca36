package dev.sextant.storage.sqlite;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.json.AttributeJson;
import dev.sextant.storage.query.LogQuery;
import io.smallrye.mutiny.Uni;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Log records in {@code logs.db}; ids in binary ({@link SqliteIds}), resources apart. */
final class SqliteLogStore implements LogStore {

  private static final String INSERT =
      "INSERT INTO logs (tenant, time, observed_time, severity_number, severity_text, body,"
          + " body_text, service_name, scope_name, trace_id, span_id, resource_id, attributes,"
          + " dropped_attributes_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  private static final String SELECT_LOG =
      "SELECT l.tenant, l.time, l.observed_time, l.severity_number, l.severity_text, l.body,"
          + " l.body_text, l.service_name, l.scope_name, l.trace_id, l.span_id, l.resource_id, "
          + Resources.attributesOf("l")
          + ", l.attributes, l.dropped_attributes_count";

  private final DatabaseAccess database;
  private final int deleteBatchRows;

  SqliteLogStore(DatabaseAccess database, int deleteBatchRows) {
    this.database = database;
    this.deleteBatchRows = deleteBatchRows;
  }

  /** A record's row with its JSON columns already written; body is null for a string body. */
  private record Row(
      LogRecord record, String body, Resources.Encoded resource, String attributes) {}

  @Override
  public Uni<Void> write(List<LogRecord> records) {
    return database.write(
        () -> {
          Resources.Batch resources = new Resources.Batch();
          List<Row> rows = new ArrayList<>(records.size());
          for (LogRecord record : records) {
            rows.add(
                new Row(
                    record,
                    record.body() instanceof String
                        ? null
                        : AttributeJson.STANDARD.value(record.body()),
                    resources.add(
                        record.tenant(), record.resourceAttributes(), record.timeUnixNanos()),
                    AttributeJson.STANDARD.attributes(record.attributes())));
          }
          return new InsertLogs(resources, rows);
        });
  }

  private record InsertLogs(Resources.Batch resources, List<Row> batch) implements WriteTask<Void> {
    @Override
    public int rows() {
      return batch.size();
    }

    @Override
    public Void apply(StatementCache statements) throws SQLException {
      if (batch.isEmpty()) {
        return null;
      }
      resources.write(statements);
      PreparedStatement insert = statements.prepare(INSERT);
      for (Row row : batch) {
        LogRecord record = row.record();
        insert.setString(1, record.tenant());
        insert.setLong(2, record.timeUnixNanos());
        insert.setLong(3, record.observedTimeUnixNanos());
        insert.setInt(4, record.severityNumber());
        insert.setString(5, record.severityText());
        insert.setString(6, row.body());
        insert.setString(7, record.bodyText());
        insert.setString(8, record.serviceName());
        insert.setString(9, record.scopeName());
        SqliteIds.bindOptionalTraceId(insert, 10, record.traceId());
        SqliteIds.bindOptionalSpanId(insert, 11, record.spanId());
        insert.setLong(12, row.resource().id());
        insert.setString(13, row.attributes());
        insert.setInt(14, record.droppedAttributesCount());
        insert.addBatch();
      }
      insert.executeBatch();
      return null;
    }
  }

  @Override
  public Uni<List<LogRecord>> search(LogQuery query) {
    return database.read(
        statements -> {
          List<Object> parameters = new ArrayList<>();
          PreparedStatement select = statements.prepare(searchSql(query, parameters));
          Parameters.bind(select, parameters);
          Resources.Reader resources = new Resources.Reader();
          List<LogRecord> found = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              found.add(read(rows, resources));
            }
          }
          return found;
        });
  }

  /**
   * The search, through the most selective index the query allows: a record's trace, else its
   * service, else time alone. Named explicitly because without statistics SQLite's planner prefers
   * the time index (it gives the order) even when that means scanning the whole tenant.
   */
  static String searchSql(LogQuery query, List<Object> parameters) {
    if (query.traceId() != null
        && !query.traceId().isEmpty()
        && !SqliteIds.isTraceId(query.traceId())) {
      // No stored record can carry an id that is not one.
      return "SELECT " + SELECT_LOG.substring("SELECT ".length()) + " FROM logs l WHERE 0";
    }
    String index;
    if (query.traceId() != null && !query.traceId().isEmpty()) {
      index = "logs_by_trace";
    } else if (query.serviceName() != null) {
      index = "logs_by_service";
    } else {
      index = "logs_by_time";
    }
    StringBuilder sql =
        new StringBuilder(
            SELECT_LOG
                + " FROM logs l INDEXED BY "
                + index
                + " WHERE l.tenant = ? AND l.time >= ? AND l.time < ?");
    parameters.add(query.tenant());
    parameters.add(query.range().startUnixNanos());
    parameters.add(query.range().endUnixNanos());
    if (query.minSeverityNumber() != null) {
      sql.append(" AND severity_number >= ?");
      parameters.add(query.minSeverityNumber());
    }
    if (query.traceId() != null) {
      if (query.traceId().isEmpty()) {
        sql.append(" AND l.trace_id IS NULL");
      } else {
        // IS NOT NULL spelled out so SQLite may use the partial index on linked records.
        sql.append(" AND l.trace_id = ? AND l.trace_id IS NOT NULL");
        parameters.add(SqliteIds.traceId(query.traceId()));
      }
    }
    if (query.serviceName() != null) {
      sql.append(" AND service_name = ?");
      parameters.add(query.serviceName());
    }
    if (query.bodyContains() != null) {
      // instr() is case-sensitive and has no wildcards, unlike LIKE.
      sql.append(" AND instr(body_text, ?) > 0");
      parameters.add(query.bodyContains());
    }
    AttributeFilterSql.append(
        sql, parameters, query.attributes(), "l.attributes", Resources.attributesOf("l"));
    sql.append(" ORDER BY l.time DESC, l.rowid DESC LIMIT ?");
    parameters.add(query.limit());
    return sql.toString();
  }

  private static LogRecord read(ResultSet row, Resources.Reader resources) throws SQLException {
    String body = row.getString(6);
    return new LogRecord(
        row.getString(1),
        row.getLong(2),
        row.getLong(3),
        row.getInt(4),
        row.getString(5),
        body == null ? row.getString(7) : AttributeJson.STANDARD.readValue(body),
        row.getString(8),
        row.getString(9),
        SqliteIds.optionalTraceId(row, 10),
        SqliteIds.optionalSpanId(row, 11),
        resources.attributes(row.getLong(12), row.getString(13)),
        AttributeJson.STANDARD.readAttributes(row.getString(14)),
        row.getInt(15));
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return database.run(
        db ->
            Retention.deleteRecordsOlderThan(db, "logs", "time", cutoffUnixNanos, deleteBatchRows));
  }
}
