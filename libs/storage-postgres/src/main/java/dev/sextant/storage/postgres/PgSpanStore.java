package dev.sextant.storage.postgres;

import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans in the daily-partitioned {@code spans} table. A batch is one statement: its columns as
 * arrays, {@code unnest}ed into an upsert keyed by (tenant, trace id, span id, start), which also
 * removes the same span stored under another start time, so a rewrite replaces whatever was stored.
 * Encoding (JSON of attributes, events, links) happens on the caller's thread before the statement
 * is sent.
 */
final class PgSpanStore implements SpanStore {
  private static final String COLUMNS =
      "tenant, trace_id, span_id, parent_span_id, start_time, end_time, name, kind, status_code,"
          + " status_message, service_name, scope_name, scope_version, attributes, attribute_order,"
          + " resource, resource_order, events, links, dropped_attributes, running";

  /**
   * The batch as one upsert. A running record (written at the span's start) whose span is stored
   * ended is dropped before anything happens ({@code kept}), and the upsert's {@code WHERE} refuses
   * it too when the ended record is committed meanwhile under the same start; otherwise the record
   * replaces the stored one, moving it when its start changed.
   */
  private static final String WRITE =
      "WITH input AS (SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::bytea[],"
          + " $5::int8[], $6::int8[], $7::text[], $8::int2[], $9::int2[], $10::text[], $11::text[],"
          + " $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],"
          + " $18::text[], $19::text[], $20::int4[], $21::bool[]) AS u("
          + COLUMNS
          + ")), kept AS (SELECT * FROM input i WHERE NOT i.running OR NOT EXISTS (SELECT 1"
          + " FROM spans s WHERE s.tenant = i.tenant AND s.trace_id = i.trace_id"
          + " AND s.span_id = i.span_id AND NOT s.running)),"
          + " moved AS (DELETE FROM spans s USING kept i WHERE s.tenant = i.tenant"
          + " AND s.trace_id = i.trace_id AND s.span_id = i.span_id"
          + " AND s.start_time <> i.start_time)"
          + " INSERT INTO spans ("
          + COLUMNS
          + ") SELECT tenant, trace_id, span_id, parent_span_id, start_time, end_time, name, kind,"
          + " status_code, status_message, service_name, scope_name, scope_version,"
          + " attributes::jsonb, attribute_order::jsonb, resource::jsonb, resource_order::jsonb,"
          + " events::json, links::json, dropped_attributes, running FROM kept"
          + " ON CONFLICT (tenant, trace_id, span_id, start_time) DO UPDATE SET"
          + " parent_span_id = excluded.parent_span_id, end_time = excluded.end_time,"
          + " name = excluded.name, kind = excluded.kind, status_code = excluded.status_code,"
          + " status_message = excluded.status_message, service_name = excluded.service_name,"
          + " scope_name = excluded.scope_name, scope_version = excluded.scope_version,"
          + " attributes = excluded.attributes, attribute_order = excluded.attribute_order,"
          + " resource = excluded.resource, resource_order = excluded.resource_order,"
          + " events = excluded.events, links = excluded.links,"
          + " dropped_attributes = excluded.dropped_attributes, running = excluded.running"
          + " WHERE NOT excluded.running OR spans.running";

  private static final String SELECT =
      "SELECT tenant, trace_id, span_id, parent_span_id, start_time, end_time, name, kind,"
          + " status_code, status_message, service_name, scope_name, scope_version,"
          + " attributes::text, attribute_order::text, resource::text, resource_order::text,"
          + " events::text, links::text, dropped_attributes FROM spans";

  private static final String TRACE =
      SELECT + " WHERE tenant = $1 AND trace_id = $2 ORDER BY start_time, span_id";

  private static final String SUMMARIES =
      "SELECT trace_id, min(start_time), max(end_time), count(*),"
          + " count(*) FILTER (WHERE status_code = 2),"
          + " (array_agg(service_name ORDER BY start_time, span_id)"
          + " FILTER (WHERE parent_span_id IS NULL))[1],"
          + " (array_agg(name ORDER BY start_time, span_id)"
          + " FILTER (WHERE parent_span_id IS NULL))[1]"
          + " FROM spans WHERE tenant = $1 AND trace_id = ANY($2::bytea[]) GROUP BY trace_id";

  private static final SpanKind[] KINDS = SpanKind.values();
  private static final StatusCode[] STATUSES = StatusCode.values();

  private final PgClient client;
  private final TableRetention retention;

  PgSpanStore(PgClient client, String schema, int deleteBatchRows) {
    this.client = client;
    this.retention = new TableRetention(client, schema, "spans", deleteBatchRows);
  }

  @Override
  public Uni<Void> write(List<Span> spans) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (spans.isEmpty()) {
                return client.call("writing spans", pool -> Future.succeededFuture());
              }
              Tuple columns = encode(lastOfEach(spans));
              return client.query("writing spans", WRITE, columns).replaceWithVoid();
            });
  }

  /**
   * The last version of each span of the batch, in first-seen order (an upsert sees each once),
   * except that a running record never replaces an ended one.
   */
  private static List<Span> lastOfEach(List<Span> spans) {
    Map<List<String>, Span> last = new LinkedHashMap<>();
    for (Span span : spans) {
      last.merge(
          List.of(span.tenant(), span.traceId(), span.spanId()),
          span,
          (stored, written) ->
              MastraAttributes.isRunning(written.attributes())
                      && !MastraAttributes.isRunning(stored.attributes())
                  ? stored
                  : written);
    }
    return last.size() == spans.size() ? spans : List.copyOf(last.values());
  }

  private static Tuple encode(List<Span> spans) {
    int n = spans.size();
    String[] tenants = new String[n];
    Buffer[] traceIds = new Buffer[n];
    Buffer[] spanIds = new Buffer[n];
    Buffer[] parents = new Buffer[n];
    Long[] starts = new Long[n];
    Long[] ends = new Long[n];
    String[] names = new String[n];
    Short[] kinds = new Short[n];
    Short[] statuses = new Short[n];
    String[] messages = new String[n];
    String[] services = new String[n];
    String[] scopeNames = new String[n];
    String[] scopeVersions = new String[n];
    String[] attributes = new String[n];
    String[] attributeOrders = new String[n];
    String[] resources = new String[n];
    String[] resourceOrders = new String[n];
    String[] events = new String[n];
    String[] links = new String[n];
    Integer[] dropped = new Integer[n];
    Boolean[] running = new Boolean[n];
    // The spans of one request share one resource map: encode it once.
    Map<Map<String, Object>, String[]> resourceJson = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      Span s = spans.get(i);
      tenants[i] = NulEscape.escape(s.tenant());
      traceIds[i] = Ids.traceId(s.traceId());
      spanIds[i] = Ids.spanId(s.spanId());
      parents[i] = s.parentSpanId().isEmpty() ? null : Ids.spanId(s.parentSpanId());
      starts[i] = s.startTimeUnixNanos();
      ends[i] = s.endTimeUnixNanos();
      names[i] = NulEscape.escape(s.name());
      kinds[i] = (short) s.kind().ordinal();
      statuses[i] = (short) s.statusCode().ordinal();
      messages[i] = NulEscape.escape(s.statusMessage());
      services[i] = NulEscape.escape(s.serviceName());
      scopeNames[i] = NulEscape.escape(s.scopeName());
      scopeVersions[i] = NulEscape.escape(s.scopeVersion());
      attributes[i] = PgJson.JSON.attributes(s.attributes());
      attributeOrders[i] = PgJson.keyOrder(s.attributes());
      String[] resource =
          resourceJson.computeIfAbsent(
              s.resourceAttributes(),
              r -> new String[] {PgJson.JSON.attributes(r), PgJson.keyOrder(r)});
      resources[i] = resource[0];
      resourceOrders[i] = resource[1];
      events[i] = PgJson.JSON.events(s.events());
      links[i] = PgJson.JSON.links(s.links());
      dropped[i] = s.droppedAttributesCount();
      running[i] = MastraAttributes.isRunning(s.attributes());
    }
    return Tuple.from(
        new Object[] {
          tenants,
          traceIds,
          spanIds,
          parents,
          starts,
          ends,
          names,
          kinds,
          statuses,
          messages,
          services,
          scopeNames,
          scopeVersions,
          attributes,
          attributeOrders,
          resources,
          resourceOrders,
          events,
          links,
          dropped,
          running
        });
  }

  @Override
  public Uni<List<Span>> trace(String tenant, String traceId) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (!dev.sextant.model.TraceIds.isTraceId(traceId)) {
                return Uni.createFrom().item(List.<Span>of());
              }
              return client
                  .query(
                      "reading a trace",
                      TRACE,
                      Tuple.of(NulEscape.escape(tenant), Ids.traceId(traceId)))
                  .map(PgSpanStore::spans);
            });
  }

  private static List<Span> spans(RowSet<Row> rows) {
    List<Span> spans = new ArrayList<>(rows.rowCount());
    for (Row row : rows) {
      spans.add(span(row));
    }
    return spans;
  }

  private static Span span(Row row) {
    Buffer parent = row.getBuffer(3);
    return new Span(
        NulEscape.unescape(row.getString(0)),
        Ids.hex(row.getBuffer(1)),
        Ids.hex(row.getBuffer(2)),
        parent == null ? "" : Ids.hex(parent),
        NulEscape.unescape(row.getString(6)),
        KINDS[row.getShort(7)],
        row.getLong(4),
        row.getLong(5),
        STATUSES[row.getShort(8)],
        NulEscape.unescape(row.getString(9)),
        NulEscape.unescape(row.getString(10)),
        NulEscape.unescape(row.getString(11)),
        NulEscape.unescape(row.getString(12)),
        PgJson.readAttributes(row.getString(15), row.getString(16)),
        PgJson.readAttributes(row.getString(13), row.getString(14)),
        PgJson.JSON.readEvents(row.getString(17)),
        PgJson.JSON.readLinks(row.getString(18)),
        row.getInteger(19));
  }

  /** {@code WHERE} the tenant's spans that start within the range. */
  private static void startedWithin(Sql sql, String tenant, TimeRange range) {
    sql.append(" WHERE tenant = ")
        .append(sql.param(NulEscape.escape(tenant)))
        .append(" AND start_time >= ")
        .append(sql.param(range.startUnixNanos()))
        .append(" AND start_time < ")
        .append(sql.param(range.endUnixNanos()));
  }

  /** Keyset paging: rows beyond (start, trace id, span id) in the direction of {@code op}. */
  private static void after(Sql sql, String op, Object[] cursor) {
    sql.append(" AND (start_time, trace_id, span_id) ")
        .append(op)
        .append(" (")
        .append(sql.param(cursor[0]))
        .append(", ")
        .append(sql.param(cursor[1]))
        .append("::bytea, ")
        .append(sql.param(cursor[2]))
        .append("::bytea)");
  }

  // ------------------------------------------------------------------ search

  private static final Comparator<TraceSummary> NEWEST_FIRST =
      Comparator.comparingLong(TraceSummary::startTimeUnixNanos)
          .reversed()
          .thenComparing(TraceSummary::traceId);

  /**
   * Walks the spans that match, newest first, a page at a time, and summarises each new trace over
   * all its stored spans. Stops once {@code limit} traces start at or after some time S and the
   * walk has passed S: every trace found later has a matching span before S, so it starts before S
   * and cannot make the top {@code limit}.
   */
  @Override
  public Uni<List<TraceSummary>> search(TraceQuery query) {
    return client.call(
        "searching traces",
        pool -> {
          Search search = new Search(pool, query);
          return search.next(null).map(done -> search.result());
        });
  }

  private static final class Search {
    private final Pool pool;
    private final TraceQuery query;
    private final int pageSize;
    private final Map<String, TraceSummary> found = new HashMap<>();

    Search(Pool pool, TraceQuery query) {
      this.pool = pool;
      this.query = query;
      this.pageSize = Math.max(200, query.limit() * 4);
    }

    /** One page of matching spans after the cursor (start, trace id, span id), then the next. */
    Future<Void> next(Object[] cursor) {
      Sql sql = new Sql();
      sql.append("SELECT trace_id, start_time, span_id FROM spans");
      startedWithin(sql, query.tenant(), query.range());
      if (query.serviceName() != null) {
        sql.append(" AND service_name = ").append(sql.param(NulEscape.escape(query.serviceName())));
      }
      if (query.spanName() != null) {
        sql.append(" AND name = ").append(sql.param(NulEscape.escape(query.spanName())));
      }
      if (query.status() != null) {
        sql.append(" AND status_code = ").append(sql.param((short) query.status().ordinal()));
      }
      if (query.minDurationNanos() != null) {
        sql.append(" AND end_time - start_time >= ").append(sql.param(query.minDurationNanos()));
      }
      if (query.maxDurationNanos() != null) {
        sql.append(" AND end_time - start_time <= ").append(sql.param(query.maxDurationNanos()));
      }
      AttributeFilterSql.append(sql, query.attributes(), "attributes", "resource");
      if (cursor != null) {
        after(sql, "<", cursor);
      }
      sql.append(" ORDER BY start_time DESC, trace_id DESC, span_id DESC LIMIT ")
          .append(sql.param(pageSize));
      return pool.preparedQuery(sql.text())
          .execute(sql.tuple())
          .compose(
              rows -> {
                List<Buffer> fresh = new ArrayList<>();
                java.util.Set<String> freshIds = new java.util.HashSet<>();
                Object[] last = null;
                for (Row row : rows) {
                  Buffer traceId = row.getBuffer(0);
                  String hex = Ids.hex(traceId);
                  if (!found.containsKey(hex) && freshIds.add(hex)) {
                    fresh.add(traceId);
                  }
                  last = new Object[] {row.getLong(1), traceId, row.getBuffer(2)};
                }
                Object[] cursorAfter = last;
                int count = rows.rowCount();
                return summarize(fresh)
                    .compose(
                        ignored -> {
                          if (count < pageSize || passedTheTop((long) cursorAfter[0])) {
                            return Future.succeededFuture();
                          }
                          return next(cursorAfter);
                        });
              });
    }

    private boolean passedTheTop(long lastStart) {
      if (found.size() < query.limit()) {
        return false;
      }
      List<TraceSummary> sorted = new ArrayList<>(found.values());
      sorted.sort(NEWEST_FIRST);
      return lastStart < sorted.get(query.limit() - 1).startTimeUnixNanos();
    }

    private Future<Void> summarize(List<Buffer> traceIds) {
      if (traceIds.isEmpty()) {
        return Future.succeededFuture();
      }
      return pool.preparedQuery(SUMMARIES)
          .execute(
              Tuple.from(
                  new Object[] {NulEscape.escape(query.tenant()), traceIds.toArray(new Buffer[0])}))
          .map(
              rows -> {
                for (Row row : rows) {
                  String traceId = Ids.hex(row.getBuffer(0));
                  long start = row.getLong(1);
                  String rootService = row.getString(5);
                  String rootName = row.getString(6);
                  found.put(
                      traceId,
                      new TraceSummary(
                          traceId,
                          rootService == null ? "" : NulEscape.unescape(rootService),
                          rootName == null ? "" : NulEscape.unescape(rootName),
                          start,
                          row.getLong(2) - start,
                          row.getLong(3).intValue(),
                          row.getLong(4).intValue()));
                }
                return null;
              });
    }

    List<TraceSummary> result() {
      List<TraceSummary> sorted = new ArrayList<>(found.values());
      sorted.sort(NEWEST_FIRST);
      return List.copyOf(sorted.subList(0, Math.min(query.limit(), sorted.size())));
    }
  }

  /**
   * Roots newest (or oldest) first through the {@code spans_roots} index: every criterion in SQL
   * (attributes as {@link AttributeFilterSql} on the span's own attributes, tags as {@code jsonb}
   * containment, the status from {@code status_code} and {@code running}), a page of {@code limit}
   * rows at a time after the cursor; rows read are checked with {@link RootQuery#matches} too, and
   * the next page is read only when that check dropped some.
   */
  @Override
  public Uni<List<Span>> roots(RootQuery query) {
    return client.call(
        "listing root spans",
        pool -> {
          Object[] cursor = null;
          if (query.after() != null) {
            RootQuery.Cursor after = query.after();
            if (!dev.sextant.model.TraceIds.isTraceId(after.traceId())
                || !dev.sextant.model.TraceIds.isSpanId(after.spanId())) {
              throw new dev.sextant.storage.StorageException(
                  dev.sextant.storage.StorageException.Code.INVALID_ARGUMENT,
                  "the cursor's trace and span ids must be 32 and 16 hex characters");
            }
            cursor =
                new Object[] {
                  after.startTimeUnixNanos(),
                  Ids.traceId(after.traceId()),
                  Ids.spanId(after.spanId())
                };
          }
          return roots(pool, query, cursor, new ArrayList<>());
        });
  }

  private static Future<List<Span>> roots(
      Pool pool, RootQuery query, Object[] cursor, List<Span> found) {
    Sql sql = rootSql(query, cursor);
    return pool.preparedQuery(sql.text())
        .execute(sql.tuple())
        .compose(
            rows -> {
              Object[] last = cursor;
              for (Row row : rows) {
                Span span = span(row);
                last = new Object[] {row.getLong(4), row.getBuffer(1), row.getBuffer(2)};
                if (query.matches(span) && found.size() < query.limit()) {
                  found.add(span);
                }
              }
              if (found.size() >= query.limit() || rows.rowCount() < query.limit()) {
                return Future.succeededFuture(List.copyOf(found));
              }
              return roots(pool, query, last, found);
            });
  }

  private static Sql rootSql(RootQuery query, Object[] cursor) {
    Sql sql = new Sql();
    sql.append(SELECT);
    startedWithin(sql, query.tenant(), query.range());
    sql.append(" AND parent_span_id IS NULL");
    if (query.serviceName() != null) {
      sql.append(" AND service_name = ").append(sql.param(NulEscape.escape(query.serviceName())));
    }
    // A root's own attributes only: no resource to fall back on.
    AttributeFilterSql.append(sql, query.attributes(), "attributes", "'{}'::jsonb");
    if (!query.tags().isEmpty()) {
      sql.append(" AND attributes -> ")
          .append(sql.param(MastraAttributes.TAGS))
          .append(" @> ")
          .append(sql.param(PgJson.JSON.stringList(query.tags())))
          .append("::text::jsonb");
    }
    short error = (short) StatusCode.ERROR.ordinal();
    if (query.status() != null) {
      switch (query.status()) {
        case "error" -> sql.append(" AND status_code = ").append(sql.param(error));
        case "running" -> sql.append(" AND running AND status_code <> ").append(sql.param(error));
        default -> sql.append(" AND NOT running AND status_code <> ").append(sql.param(error));
      }
    }
    String direction = query.oldestFirst() ? " ASC" : " DESC";
    if (cursor != null) {
      after(sql, query.oldestFirst() ? ">" : "<", cursor);
    }
    return sql.append(" ORDER BY start_time")
        .append(direction)
        .append(", trace_id")
        .append(direction)
        .append(", span_id")
        .append(direction)
        .append(" LIMIT ")
        .append(sql.param(query.limit()));
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return retention.deleteOlderThan(cutoffUnixNanos);
  }
}
