package dev.sextant.storage.postgres;

import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.query.RootQuery;
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
          + " resource, resource_order, events, links, dropped_attributes";

  private static final String WRITE =
      "WITH input AS (SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::bytea[],"
          + " $5::int8[], $6::int8[], $7::text[], $8::int2[], $9::int2[], $10::text[], $11::text[],"
          + " $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],"
          + " $18::text[], $19::text[], $20::int4[]) AS u("
          + COLUMNS
          + ")), moved AS (DELETE FROM spans s USING input i WHERE s.tenant = i.tenant"
          + " AND s.trace_id = i.trace_id AND s.span_id = i.span_id"
          + " AND s.start_time <> i.start_time)"
          + " INSERT INTO spans ("
          + COLUMNS
          + ") SELECT tenant, trace_id, span_id, parent_span_id, start_time, end_time, name, kind,"
          + " status_code, status_message, service_name, scope_name, scope_version,"
          + " attributes::jsonb, attribute_order::jsonb, resource::jsonb, resource_order::jsonb,"
          + " events::json, links::json, dropped_attributes FROM input"
          + " ON CONFLICT (tenant, trace_id, span_id, start_time) DO UPDATE SET"
          + " parent_span_id = excluded.parent_span_id, end_time = excluded.end_time,"
          + " name = excluded.name, kind = excluded.kind, status_code = excluded.status_code,"
          + " status_message = excluded.status_message, service_name = excluded.service_name,"
          + " scope_name = excluded.scope_name, scope_version = excluded.scope_version,"
          + " attributes = excluded.attributes, attribute_order = excluded.attribute_order,"
          + " resource = excluded.resource, resource_order = excluded.resource_order,"
          + " events = excluded.events, links = excluded.links,"
          + " dropped_attributes = excluded.dropped_attributes";

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

  /** The last version of each span of the batch, in first-seen order (an upsert sees each once). */
  private static List<Span> lastOfEach(List<Span> spans) {
    Map<List<String>, Span> last = new LinkedHashMap<>();
    for (Span span : spans) {
      last.put(List.of(span.tenant(), span.traceId(), span.spanId()), span);
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
    // The spans of one request share one resource map: encode it once.
    Map<Map<String, Object>, String[]> resourceJson = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      Span s = spans.get(i);
      tenants[i] = PgText.escape(s.tenant());
      traceIds[i] = Ids.traceId(s.traceId());
      spanIds[i] = Ids.spanId(s.spanId());
      parents[i] = s.parentSpanId().isEmpty() ? null : Ids.spanId(s.parentSpanId());
      starts[i] = s.startTimeUnixNanos();
      ends[i] = s.endTimeUnixNanos();
      names[i] = PgText.escape(s.name());
      kinds[i] = (short) s.kind().ordinal();
      statuses[i] = (short) s.statusCode().ordinal();
      messages[i] = PgText.escape(s.statusMessage());
      services[i] = PgText.escape(s.serviceName());
      scopeNames[i] = PgText.escape(s.scopeName());
      scopeVersions[i] = PgText.escape(s.scopeVersion());
      attributes[i] = JsonCodec.attributes(s.attributes());
      attributeOrders[i] = JsonCodec.keyOrder(s.attributes());
      String[] resource =
          resourceJson.computeIfAbsent(
              s.resourceAttributes(),
              r -> new String[] {JsonCodec.attributes(r), JsonCodec.keyOrder(r)});
      resources[i] = resource[0];
      resourceOrders[i] = resource[1];
      events[i] = JsonCodec.events(s.events());
      links[i] = JsonCodec.links(s.links());
      dropped[i] = s.droppedAttributesCount();
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
          dropped
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
                      Tuple.of(PgText.escape(tenant), Ids.traceId(traceId)))
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
        PgText.unescape(row.getString(0)),
        Ids.hex(row.getBuffer(1)),
        Ids.hex(row.getBuffer(2)),
        parent == null ? "" : Ids.hex(parent),
        PgText.unescape(row.getString(6)),
        KINDS[row.getShort(7)],
        row.getLong(4),
        row.getLong(5),
        STATUSES[row.getShort(8)],
        PgText.unescape(row.getString(9)),
        PgText.unescape(row.getString(10)),
        PgText.unescape(row.getString(11)),
        PgText.unescape(row.getString(12)),
        JsonCodec.readAttributes(row.getString(15), row.getString(16)),
        JsonCodec.readAttributes(row.getString(13), row.getString(14)),
        JsonCodec.readEvents(row.getString(17)),
        JsonCodec.readLinks(row.getString(18)),
        row.getInteger(19));
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
      sql.append("SELECT trace_id, start_time, span_id FROM spans WHERE tenant = ")
          .append(sql.param(PgText.escape(query.tenant())))
          .append(" AND start_time >= ")
          .append(sql.param(query.range().startUnixNanos()))
          .append(" AND start_time < ")
          .append(sql.param(query.range().endUnixNanos()));
      if (query.serviceName() != null) {
        sql.append(" AND service_name = ").append(sql.param(PgText.escape(query.serviceName())));
      }
      if (query.spanName() != null) {
        sql.append(" AND name = ").append(sql.param(PgText.escape(query.spanName())));
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
        sql.append(" AND (start_time, trace_id, span_id) < (")
            .append(sql.param(cursor[0]))
            .append(", ")
            .append(sql.param(cursor[1]))
            .append("::bytea, ")
            .append(sql.param(cursor[2]))
            .append("::bytea)");
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
                  new Object[] {PgText.escape(query.tenant()), traceIds.toArray(new Buffer[0])}))
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
                          rootService == null ? "" : PgText.unescape(rootService),
                          rootName == null ? "" : PgText.unescape(rootName),
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

  /** Not yet on PostgreSQL (the Mastra trace lists); fails loudly, see {@link PgEventStore}. */
  @Override
  public Uni<List<Span>> roots(RootQuery query) {
    return Uni.createFrom().failure(PgEventStore.unsupported("root span lists"));
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return retention.deleteOlderThan(cutoffUnixNanos);
  }
}
