package dev.sextant.storage.sqlite;

import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.json.AttributeJson;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import io.smallrye.mutiny.Uni;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Spans in {@code spans.db}; ids in binary ({@link SqliteIds}), resources apart ({@link
 * Resources}).
 */
final class SqliteSpanStore implements SpanStore {

  private static final String INSERT =
      "INSERT INTO spans (tenant, trace_id, span_id, parent_span_id, name, kind,"
          + " start_time, end_time, status_code, status_message, service_name, scope_name,"
          + " scope_version, resource_id, attributes, events, links, dropped_attributes_count,"
          + " running, span_type, entity_type, entity_id, entity_name, environment, run_id,"
          + " thread_id, owner_resource_id, user_id, session_id, tags)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
          // A rewrite replaces the row, unless a running span would replace an ended one.
          + " ON CONFLICT (tenant, trace_id, span_id) DO UPDATE SET"
          + " parent_span_id = excluded.parent_span_id, name = excluded.name,"
          + " kind = excluded.kind, start_time = excluded.start_time,"
          + " end_time = excluded.end_time, status_code = excluded.status_code,"
          + " status_message = excluded.status_message, service_name = excluded.service_name,"
          + " scope_name = excluded.scope_name, scope_version = excluded.scope_version,"
          + " resource_id = excluded.resource_id, attributes = excluded.attributes,"
          + " events = excluded.events, links = excluded.links,"
          + " dropped_attributes_count = excluded.dropped_attributes_count,"
          + " running = excluded.running, span_type = excluded.span_type,"
          + " entity_type = excluded.entity_type, entity_id = excluded.entity_id,"
          + " entity_name = excluded.entity_name, environment = excluded.environment,"
          + " run_id = excluded.run_id, thread_id = excluded.thread_id,"
          + " owner_resource_id = excluded.owner_resource_id, user_id = excluded.user_id,"
          + " session_id = excluded.session_id, tags = excluded.tags"
          + " WHERE excluded.running = 0 OR spans.running = 1";
  static final String SELECT_SPAN =
      "SELECT s.tenant, s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_time,"
          + " s.end_time, s.status_code, s.status_message, s.service_name, s.scope_name,"
          + " s.scope_version, s.resource_id, "
          + Resources.attributesOf("s")
          + ", s.attributes, s.events, s.links, s.dropped_attributes_count";
  // INDEXED BY pins the access paths: without statistics SQLite's planner would rather walk
  // spans_by_start to skip the sort of a trace's few spans, scanning the whole tenant.
  static final String TRACE =
      SELECT_SPAN
          + " FROM spans s INDEXED BY spans_by_trace WHERE s.tenant = ? AND s.trace_id = ?"
          + " ORDER BY s.start_time, s.span_id";
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
    return database.write(() -> encode(spans));
  }

  /** A span's row with its JSON columns already written. */
  private record Row(
      Span span,
      Resources.Encoded resource,
      String attributes,
      String events,
      String links,
      String tags) {}

  /** Encodes on the caller's thread, so the writer thread only does SQLite's work. */
  private static InsertSpans encode(List<Span> spans) {
    Resources.Batch resources = new Resources.Batch();
    List<Row> rows = new ArrayList<>(spans.size());
    for (Span span : spans) {
      rows.add(
          new Row(
              span,
              resources.add(span.tenant(), span.resourceAttributes(), span.startTimeUnixNanos()),
              AttributeJson.STANDARD.attributes(span.attributes()),
              AttributeJson.STANDARD.events(span.events()),
              AttributeJson.STANDARD.links(span.links()),
              span.attributes().get(MastraAttributes.TAGS) instanceof List<?> tags
                  ? AttributeJson.STANDARD.value(tags)
                  : null));
    }
    return new InsertSpans(resources, rows);
  }

  private record InsertSpans(Resources.Batch resources, List<Row> batch)
      implements WriteTask<Void> {
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
        Span span = row.span();
        insert.setString(1, span.tenant());
        insert.setBytes(2, SqliteIds.traceId(span.traceId()));
        insert.setLong(3, SqliteIds.spanId(span.spanId()));
        SqliteIds.bindOptionalSpanId(insert, 4, span.parentSpanId());
        insert.setString(5, span.name());
        insert.setString(6, span.kind().name());
        insert.setLong(7, span.startTimeUnixNanos());
        insert.setLong(8, span.endTimeUnixNanos());
        insert.setString(9, span.statusCode().name());
        insert.setString(10, span.statusMessage());
        insert.setString(11, span.serviceName());
        insert.setString(12, span.scopeName());
        insert.setString(13, span.scopeVersion());
        insert.setLong(14, row.resource().id());
        insert.setString(15, row.attributes());
        insert.setString(16, row.events());
        insert.setString(17, row.links());
        insert.setInt(18, span.droppedAttributesCount());
        insert.setInt(19, MastraAttributes.isRunning(span.attributes()) ? 1 : 0);
        for (int i = 0; i < PROMOTED.size(); i++) {
          insert.setString(20 + i, PromotedColumn.value(PROMOTED.get(i), span.attributes()));
        }
        insert.setString(20 + PROMOTED.size(), row.tags());
        insert.addBatch();
      }
      insert.executeBatch();
      return null;
    }
  }

  @Override
  public Uni<List<Span>> trace(String tenant, String traceId) {
    if (!SqliteIds.isTraceId(traceId)) {
      return Uni.createFrom().item(List.of());
    }
    return database.read(
        statements -> {
          PreparedStatement select = statements.prepare(TRACE);
          select.setString(1, tenant);
          select.setBytes(2, SqliteIds.traceId(traceId));
          Resources.Reader resources = new Resources.Reader();
          List<Span> spans = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              spans.add(read(rows, resources));
            }
          }
          return spans;
        });
  }

  static Span read(ResultSet row, Resources.Reader resources) throws SQLException {
    return new Span(
        row.getString(1),
        SqliteIds.traceId(row.getBytes(2)),
        SqliteIds.spanId(row.getLong(3)),
        SqliteIds.optionalSpanId(row, 4),
        row.getString(5),
        SpanKind.valueOf(row.getString(6)),
        row.getLong(7),
        row.getLong(8),
        StatusCode.valueOf(row.getString(9)),
        row.getString(10),
        row.getString(11),
        row.getString(12),
        row.getString(13),
        resources.attributes(row.getLong(14), row.getString(15)),
        AttributeJson.STANDARD.readAttributes(row.getString(16)),
        AttributeJson.STANDARD.readEvents(row.getString(17)),
        AttributeJson.STANDARD.readLinks(row.getString(18)),
        row.getInt(19));
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
          Set<ByteBuffer> seen = new HashSet<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              long start = rows.getLong(2);
              if (found.size() == query.limit() && start < found.last().startTimeUnixNanos()) {
                break;
              }
              byte[] traceId = rows.getBytes(1);
              if (seen.add(ByteBuffer.wrap(traceId))) {
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
        sql, parameters, query.attributes(), "s.attributes", Resources.attributesOf("s"));
    return sql.append(" ORDER BY start_time DESC").toString();
  }

  /** The summary of one trace over all its stored spans. */
  private static TraceSummary summarize(StatementCache statements, String tenant, byte[] traceId)
      throws SQLException {
    PreparedStatement select = statements.prepare(TRACE_SUMMARY);
    select.setString(1, tenant);
    select.setBytes(2, traceId);
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int spans = 0;
    int errors = 0;
    String rootService = "";
    String rootName = "";
    long rootStart = Long.MAX_VALUE;
    long rootSpanId = 0;
    boolean rootFound = false;
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        long spanStart = rows.getLong(4);
        start = Math.min(start, spanStart);
        end = Math.max(end, rows.getLong(5));
        spans++;
        if (StatusCode.ERROR.name().equals(rows.getString(6))) {
          errors++;
        }
        rows.getLong(1);
        boolean root = rows.wasNull();
        // Stored span ids compare like their hex text (SqliteIds), so < picks the same first root.
        long spanId = rows.getLong(7);
        boolean first =
            !rootFound || spanStart < rootStart || (spanStart == rootStart && spanId < rootSpanId);
        if (root && first) {
          rootService = rows.getString(2);
          rootName = rows.getString(3);
          rootStart = spanStart;
          rootSpanId = spanId;
          rootFound = true;
        }
      }
    }
    return new TraceSummary(
        SqliteIds.traceId(traceId), rootService, rootName, start, end - start, spans, errors);
  }

  /** The promoted columns in INSERT order (after {@code running}, before {@code tags}). */
  private static final List<PromotedColumn> PROMOTED = PromotedColumn.ALL;

  /**
   * Roots newest (or oldest) first through the roots indexes: promoted attributes, the service, the
   * status and the cursor in SQL, other attributes and tags by {@link RootQuery#matches} on the
   * rows read, until {@code limit} matched.
   */
  @Override
  public Uni<List<Span>> roots(RootQuery query) {
    return database.read(
        statements -> {
          List<Object> parameters = new ArrayList<>();
          PreparedStatement select = statements.prepare(RootSql.select(query, parameters));
          Parameters.bind(select, parameters);
          Resources.Reader resources = new Resources.Reader();
          List<Span> found = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next() && found.size() < query.limit()) {
              Span span = read(rows, resources);
              if (query.matches(span)) {
                found.add(span);
              }
            }
          }
          return found;
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return database.run(
        db ->
            Retention.deleteRecordsOlderThan(
                db, "spans", "start_time", cutoffUnixNanos, deleteBatchRows));
  }
}
