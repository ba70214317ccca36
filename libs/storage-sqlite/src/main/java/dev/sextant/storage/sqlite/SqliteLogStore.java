package dev.sextant.storage.sqlite;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.query.LogQuery;
import io.smallrye.mutiny.Uni;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Log records in {@code logs.db}. */
final class SqliteLogStore implements LogStore {

  private static final String COLUMNS =
      "tenant, time, observed_time, severity_number, severity_text, body, body_text, service_name,"
          + " scope_name, trace_id, span_id, resource_attributes, attributes,"
          + " dropped_attributes_count";
  private static final String INSERT =
      "INSERT INTO logs (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

  private final DatabaseAccess database;
  private final int deleteBatchRows;

  SqliteLogStore(DatabaseAccess database, int deleteBatchRows) {
    this.database = database;
    this.deleteBatchRows = deleteBatchRows;
  }

  /** A record's row with its JSON columns already written; body is null for a string body. */
  private record Row(LogRecord record, String body, String resource, String attributes) {}

  @Override
  public Uni<Void> write(List<LogRecord> records) {
    return database.write(
        () -> {
          List<Row> rows = new ArrayList<>(records.size());
          for (LogRecord record : records) {
            rows.add(
                new Row(
                    record,
                    record.body() instanceof String ? null : AttributeJson.value(record.body()),
                    AttributeJson.attributes(record.resourceAttributes()),
                    AttributeJson.attributes(record.attributes())));
          }
          return new InsertLogs(rows);
        });
  }

  private record InsertLogs(List<Row> batch) implements WriteTask<Void> {
    @Override
    public int rows() {
      return batch.size();
    }

    @Override
    public Void apply(StatementCache statements) throws SQLException {
      if (batch.isEmpty()) {
        return null;
      }
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
        insert.setString(10, record.traceId());
        insert.setString(11, record.spanId());
        insert.setString(12, row.resource());
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
          List<LogRecord> found = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              found.add(read(rows));
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
            "SELECT "
                + COLUMNS
                + " FROM logs l INDEXED BY "
                + index
                + " WHERE tenant = ? AND time >= ? AND time < ?");
    parameters.add(query.tenant());
    parameters.add(query.range().startUnixNanos());
    parameters.add(query.range().endUnixNanos());
    if (query.minSeverityNumber() != null) {
      sql.append(" AND severity_number >= ?");
      parameters.add(query.minSeverityNumber());
    }
    if (query.traceId() != null) {
      sql.append(" AND trace_id = ?");
      parameters.add(query.traceId());
      if (!query.traceId().isEmpty()) {
        // Spelled out so SQLite may use the partial index on linked records.
        sql.append(" AND trace_id <> ''");
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
        sql, parameters, query.attributes(), "l.attributes", "l.resource_attributes");
    sql.append(" ORDER BY time DESC, rowid DESC LIMIT ?");
    parameters.add(query.limit());
    return sql.toString();
  }

  private static LogRecord read(ResultSet row) throws SQLException {
    String body = row.getString(6);
    return new LogRecord(
        row.getString(1),
        row.getLong(2),
        row.getLong(3),
        row.getInt(4),
        row.getString(5),
        body == null ? row.getString(7) : AttributeJson.readValue(body),
        row.getString(8),
        row.getString(9),
        row.getString(10),
        row.getString(11),
        AttributeJson.readAttributes(row.getString(12)),
        AttributeJson.readAttributes(row.getString(13)),
        row.getInt(14));
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return database.run(
        db -> Retention.deleteRowsOlderThan(db, "logs", "time", cutoffUnixNanos, deleteBatchRows));
  }
}
