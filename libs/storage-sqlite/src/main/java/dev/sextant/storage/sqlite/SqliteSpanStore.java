package dev.sextant.storage.sqlite;

import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import io.smallrye.mutiny.Uni;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Spans in {@code spans.db}. */
final class SqliteSpanStore implements SpanStore {

  private static final String COLUMNS =
      "tenant, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status_code,"
          + " status_message, service_name, scope_name, scope_version, resource_attributes,"
          + " attributes, events, links, dropped_attributes_count";
  private static final String INSERT =
      "INSERT OR REPLACE INTO spans (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  // INDEXED BY pins the access paths: without statistics SQLite's planner would rather walk
  // spans_by_start to skip the sort of a trace's few spans, scanning the whole tenant.
  static final String TRACE =
      "SELECT "
          + COLUMNS
          + " FROM spans INDEXED BY spans_by_trace WHERE tenant = ? AND trace_id = ?"
          + " ORDER BY start_time, span_id";
  static final String TRACE_SUMMARY =
      "SELECT parent_span_id, service_name, name, start_time, end_time, status_code, span_id"
          + " FROM spans INDEXED BY spans_by_trace WHERE tenant = ? AND trace_id = ?";

  /** Newest first by the trace's first span start; ties by trace id. */
  private static final Comparator<TraceSummary> NEWEST_FIRST =
      Comparator.comparingLong(TraceSummary::startTimeUnixNanos)
          .reversed()
          .thenComparing(TraceSummary::traceId);

  private final DatabaseAccess database;
  private final int deleteBatchRows;

  SqliteSpanStore(DatabaseAccess database, int deleteBatchRows) {
    this.database = database;
    this.deleteBatchRows = deleteBatchRows;
  }

  @Override
  public Uni<Void> write(List<Span> spans) {
    return database.write(() -> new InsertSpans(encode(spans)));
  }

  /** A span's row with its JSON columns already written. */
  private record Row(Span span, String resource, String attributes, String events, String links) {}

  private static List<Row> encode(List<Span> spans) {
    List<Row> rows = new ArrayList<>(spans.size());
    for (Span span : spans) {
      rows.add(
          new Row(
              span,
              AttributeJson.attributes(span.resourceAttributes()),
              AttributeJson.attributes(span.attributes()),
              AttributeJson.events(span.events()),
              AttributeJson.links(span.links())));
    }
    return rows;
  }

  private record InsertSpans(List<Row> batch) implements WriteTask<Void> {
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
        Span span = row.span();
        insert.setString(1, span.tenant());
        insert.setString(2, span.traceId());
        insert.setString(3, span.spanId());
        insert.setString(4, span.parentSpanId());
        insert.setString(5, span.name());
        insert.setString(6, span.kind().name());
        insert.setLong(7, span.startTimeUnixNanos());
        insert.setLong(8, span.endTimeUnixNanos());
        insert.setString(9, span.statusCode().name());
        insert.setString(10, span.statusMessage());
        insert.setString(11, span.serviceName());
        insert.setString(12, span.scopeName());
        insert.setString(13, span.scopeVersion());
        insert.setString(14, row.resource());
        insert.setString(15, row.attributes());
        insert.setString(16, row.events());
        insert.setString(17, row.links());
        insert.setInt(18, span.droppedAttributesCount());
        insert.addBatch();
      }
      insert.executeBatch();
      return null;
    }
  }

  @Override
  public Uni<List<Span>> trace(String tenant, String traceId) {
    return database.read(
        statements -> {
          PreparedStatement select = statements.prepare(TRACE);
          select.setString(1, tenant);
          select.setString(2, traceId);
          List<Span> spans = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              spans.add(read(rows));
            }
          }
          return spans;
        });
  }

  private static Span read(ResultSet row) throws SQLException {
    return new Span(
        row.getString(1),
        row.getString(2),
        row.getString(3),
        row.getString(4),
        row.getString(5),
        SpanKind.valueOf(row.getString(6)),
        row.getLong(7),
        row.getLong(8),
        StatusCode.valueOf(row.getString(9)),
        row.getString(10),
        row.getString(11),
        row.getString(12),
        row.getString(13),
        AttributeJson.readAttributes(row.getString(14)),
        AttributeJson.readAttributes(row.getString(15)),
        AttributeJson.readEvents(row.getString(16)),
        AttributeJson.readLinks(row.getString(17)),
        row.getInt(18));
  }

  /**
   * Walks the matching spans newest first and summarises each new trace. A trace's first span
   * starts no later than any of its matching spans, so once the walk reaches a span older than the
   * last of {@code limit} summaries found, no later trace can be newer: the walk stops there
   * instead of reading every match.
   */
  @Override
  public Uni<List<TraceSummary>> search(TraceQuery query) {
    return database.read(
        statements -> {
          List<Object> parameters = new ArrayList<>();
          String sql = matchingSpans(query, parameters);
          PreparedStatement select = statements.prepare(sql);
          Parameters.bind(select, parameters);
          TreeSet<TraceSummary> found = new TreeSet<>(NEWEST_FIRST);
          Set<String> seen = new HashSet<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              long start = rows.getLong(2);
              if (found.size() == query.limit() && start < found.last().startTimeUnixNanos()) {
                break;
              }
              String traceId = rows.getString(1);
              if (seen.add(traceId)) {
                found.add(summarize(statements, query.tenant(), traceId));
                if (found.size() > query.limit()) {
                  found.pollLast();
                }
              }
            }
          }
          return List.copyOf(found);
        });
  }

  /** The matching spans, newest first, through the service index when a service is given. */
  static String matchingSpans(TraceQuery query, List<Object> parameters) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT trace_id, start_time FROM spans s INDEXED BY "
                + (query.serviceName() == null ? "spans_by_start" : "spans_by_service")
                + " WHERE tenant = ? AND start_time >= ? AND start_time < ?");
    parameters.add(query.tenant());
    parameters.add(query.range().startUnixNanos());
    parameters.add(query.range().endUnixNanos());
    if (query.serviceName() != null) {
      sql.append(" AND service_name = ?");
      parameters.add(query.serviceName());
    }
    if (query.spanName() != null) {
      sql.append(" AND name = ?");
      parameters.add(query.spanName());
    }
    if (query.status() != null) {
      sql.append(" AND status_code = ?");
      parameters.add(query.status().name());
    }
    if (query.minDurationNanos() != null) {
      sql.append(" AND end_time - start_time >= ?");
      parameters.add(query.minDurationNanos());
    }
    if (query.maxDurationNanos() != null) {
      sql.append(" AND end_time - start_time <= ?");
      parameters.add(query.maxDurationNanos());
    }
    AttributeFilterSql.append(
        sql, parameters, query.attributes(), "s.attributes", "s.resource_attributes");
    return sql.append(" ORDER BY start_time DESC").toString();
  }

  /** The summary of one trace over all its stored spans. */
  private static TraceSummary summarize(StatementCache statements, String tenant, String traceId)
      throws SQLException {
    PreparedStatement select = statements.prepare(TRACE_SUMMARY);
    select.setString(1, tenant);
    select.setString(2, traceId);
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int spans = 0;
    int errors = 0;
    String rootService = "";
    String rootName = "";
    long rootStart = Long.MAX_VALUE;
    String rootSpanId = null;
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        long spanStart = rows.getLong(4);
        start = Math.min(start, spanStart);
        end = Math.max(end, rows.getLong(5));
        spans++;
        if (StatusCode.ERROR.name().equals(rows.getString(6))) {
          errors++;
        }
        String spanId = rows.getString(7);
        boolean firstRoot =
            rootSpanId == null
                || spanStart < rootStart
                || (spanStart == rootStart && spanId.compareTo(rootSpanId) < 0);
        if (rows.getString(1).isEmpty() && firstRoot) {
          rootService = rows.getString(2);
          rootName = rows.getString(3);
          rootStart = spanStart;
          rootSpanId = spanId;
        }
      }
    }
    return new TraceSummary(traceId, rootService, rootName, start, end - start, spans, errors);
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return database.run(
        db ->
            Retention.deleteRowsOlderThan(
                db, "spans", "start_time", cutoffUnixNanos, deleteBatchRows));
  }
}
