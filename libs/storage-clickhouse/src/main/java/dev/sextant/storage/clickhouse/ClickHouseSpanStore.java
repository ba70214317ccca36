package dev.sextant.storage.clickhouse;

import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import dev.sextant.storage.retention.RetentionSelector;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans in {@code spans} (a {@code ReplacingMergeTree}: a rewritten span replaces the earlier row
 * at merge time, and reads use {@code FINAL}), found by trace id through {@code trace_index}, a
 * materialized view of each trace's first and last span start, which bounds the time range the
 * trace lookup scans.
 */
final class ClickHouseSpanStore implements SpanStore {

  private static final List<String> COLUMNS =
      List.of(
          "tenant",
          "trace_id",
          "span_id",
          "parent_span_id",
          "start_time",
          "duration_ns",
          "name",
          "kind",
          "status_code",
          "status_message",
          "service_name",
          "scope_name",
          "scope_version",
          "resource_attributes",
          "attributes",
          "attribute_types",
          "events",
          "links",
          "dropped_attributes_count",
          "filter_attributes",
          "environment",
          "entity_type",
          "entity_name",
          "version");

  /**
   * Set in the version of a span that has ended: every ended record outranks every running one
   * (attribute {@code sextant.span.running}), whichever was written last; the clock orders the
   * rest. Versions are UInt64, and the clock stays far below this bit.
   */
  static final long ENDED = Long.MIN_VALUE;

  private static final byte[] NONE = new byte[0];

  /** What a read selects, in the order {@link #readSpan} reads it. */
  private static final String SELECT =
      "SELECT tenant, trace_id, span_id, parent_span_id, toUnixTimestamp64Nano(start_time),"
          + " duration_ns, name, kind, status_code, status_message, service_name, scope_name,"
          + " scope_version, resource_attributes, attributes, attribute_types, filter_attributes,"
          + " events, links, dropped_attributes_count";

  private final ClickHouseAccess access;
  private final Schema schema;
  private final VersionClock versions;

  ClickHouseSpanStore(ClickHouseAccess access, Schema schema, VersionClock versions) {
    this.access = access;
    this.schema = schema;
    this.versions = versions;
  }

  @Override
  public Uni<Void> write(List<Span> spans) {
    return Uni.createFrom()
        .item(() -> encode(spans))
        .chain(
            rows ->
                rows == null
                    ? access.run("write spans", c -> null)
                    : access.insert("write spans", schema.table(Schema.SPANS), COLUMNS, rows));
  }

  /** The rows of a batch, the last of the same span winning; null for an empty batch. */
  private RowBinaryOutput encode(List<Span> spans) {
    if (spans.isEmpty()) {
      return null;
    }
    Map<String, Span> last = new LinkedHashMap<>();
    for (Span span : spans) {
      last.merge(
          span.tenant() + '\0' + span.traceId() + span.spanId(),
          span,
          (stored, written) ->
              MastraAttributes.isRunning(written.attributes())
                      && !MastraAttributes.isRunning(stored.attributes())
                  ? stored
                  : written);
    }
    long version = versions.next(last.size());
    RowBinaryOutput out = new RowBinaryOutput(512 * last.size());
    for (Span span : last.values()) {
      out.string(span.tenant());
      out.raw(Ids.bytes(span.traceId()));
      out.raw(Ids.bytes(span.spanId()));
      out.bytes(span.parentSpanId().isEmpty() ? new byte[0] : Ids.bytes(span.parentSpanId()));
      out.int64(span.startTimeUnixNanos());
      out.int64(span.durationNanos());
      out.string(span.name());
      out.uint8(Codes.kind(span.kind()));
      out.uint8(Codes.status(span.statusCode()));
      out.string(span.statusMessage());
      out.string(span.serviceName());
      out.string(span.scopeName());
      out.string(span.scopeVersion());
      out.bytes(AttributeCodec.attributes(span.resourceAttributes()));
      out.bytes(NONE); // the attributes are in attribute_types and filter_attributes (v3)
      out.bytes(AttributeCodec.types(span.attributes()));
      out.bytes(AttributeCodec.events(span.events()));
      out.bytes(AttributeCodec.links(span.links()));
      out.int32(span.droppedAttributesCount());
      FilterAttributes.write(
          out, FilterAttributes.of(span.attributes(), span.resourceAttributes()));
      out.string(Selectors.environment(span.resourceAttributes()));
      out.string(Selectors.text(span.attributes(), RetentionSelector.ENTITY_TYPE));
      out.string(Selectors.text(span.attributes(), RetentionSelector.ENTITY_NAME));
      out.int64(version++ | (MastraAttributes.isRunning(span.attributes()) ? 0 : ENDED));
    }
    return out;
  }

  @Override
  public Uni<List<Span>> trace(String tenant, String traceId) {
    String index = schema.table(Schema.TRACE_INDEX);
    String bounds =
        " FROM " + index + " WHERE tenant = {tenant:String} AND trace_id = unhex({trace:String}))";
    String sql =
        SELECT
            + " FROM "
            + schema.table(Schema.SPANS)
            + " FINAL WHERE tenant = {tenant:String} AND trace_id = unhex({trace:String})"
            + " AND start_time >= (SELECT min(first_start)"
            + bounds
            + " AND start_time <= (SELECT max(last_start)"
            + bounds
            + " ORDER BY start_time, span_id";
    return access.query(
        "read a trace",
        sql,
        Map.of("tenant", tenant, "trace", traceId),
        ClickHouseSpanStore::readSpans);
  }

  private static List<Span> readSpans(RowBinaryInput in) {
    List<Span> spans = new ArrayList<>();
    while (in.hasMore()) {
      spans.add(readSpan(in));
    }
    return spans;
  }

  private static Span readSpan(RowBinaryInput in) {
    String tenant = in.string();
    String traceId = Ids.hex(in.raw(16));
    String spanId = Ids.hex(in.raw(8));
    String parent = Ids.hex(in.bytes());
    long start = in.int64();
    long duration = in.int64();
    return new Span(
        tenant,
        traceId,
        spanId,
        parent,
        in.string(),
        Codes.kind(in.uint8()),
        start,
        start + duration,
        Codes.status(in.uint8()),
        in.string(),
        in.string(),
        in.string(),
        in.string(),
        AttributeCodec.readAttributes(in.bytes()),
        AttributeCodec.readAttributes(in.bytes(), in.bytes(), FilterAttributes.read(in)),
        AttributeCodec.readEvents(in.bytes()),
        AttributeCodec.readLinks(in.bytes()),
        in.int32());
  }

  @Override
  public Uni<List<TraceSummary>> search(TraceQuery query) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("tenant", query.tenant());
    parameters.put("from", query.range().startUnixNanos());
    parameters.put("to", query.range().endUnixNanos());
    parameters.put("limit", query.limit());
    StringBuilder matching =
        new StringBuilder(
            "SELECT trace_id FROM "
                + schema.table(Schema.SPANS)
                + " FINAL WHERE tenant = {tenant:String}"
                + " AND start_time >= fromUnixTimestamp64Nano({from:Int64})"
                + " AND start_time < fromUnixTimestamp64Nano({to:Int64})");
    if (query.serviceName() != null) {
      parameters.put("service", query.serviceName());
      matching.append(" AND service_name = {service:String}");
    }
    if (query.spanName() != null) {
      parameters.put("name", query.spanName());
      matching.append(" AND name = {name:String}");
    }
    if (query.status() != null) {
      parameters.put("status", Codes.status(query.status()));
      matching.append(" AND status_code = {status:UInt8}");
    }
    if (query.minDurationNanos() != null) {
      parameters.put("minDuration", query.minDurationNanos());
      matching.append(" AND duration_ns >= {minDuration:Int64}");
    }
    if (query.maxDurationNanos() != null) {
      parameters.put("maxDuration", query.maxDurationNanos());
      matching.append(" AND duration_ns <= {maxDuration:Int64}");
    }
    matching.append(FilterAttributes.condition(query.attributes(), parameters));
    // Summaries cover every stored span of a matching trace, not only the matching ones.
    String sql =
        "SELECT trace_id, min(toUnixTimestamp64Nano(start_time)) AS first,"
            + " max(toUnixTimestamp64Nano(start_time) + duration_ns) AS last_end,"
            + " toUInt32(count()), toUInt32(countIf(status_code = 2)),"
            + " toString(argMinIf(service_name, (start_time, span_id), parent_span_id = '')),"
            + " toString(argMinIf(name, (start_time, span_id), parent_span_id = ''))"
            + " FROM "
            + schema.table(Schema.SPANS)
            + " FINAL WHERE tenant = {tenant:String} AND trace_id IN ("
            + matching
            + ") GROUP BY trace_id ORDER BY first DESC, trace_id LIMIT {limit:UInt32}";
    return access.query(
        "search traces",
        sql,
        parameters,
        in -> {
          List<TraceSummary> found = new ArrayList<>();
          while (in.hasMore()) {
            String traceId = Ids.hex(in.raw(16));
            long first = in.int64();
            long lastEnd = in.int64();
            int count = in.int32();
            int errors = in.int32();
            String rootService = in.string();
            String rootName = in.string();
            found.add(
                new TraceSummary(
                    traceId, rootService, rootName, first, lastEnd - first, count, errors));
          }
          return found;
        });
  }

  /**
   * Roots newest (or oldest) first. ClickHouse narrows by tenant, range, service, status and the
   * attribute texts of {@code filter_attributes} (which also hold resource attributes, so it may
   * keep too many), and pages in SQL by the keyset; the query's own {@link RootQuery#matches} then
   * decides exactly (attributes of the span itself, tags, running), fetching further pages until
   * the limit is met or the roots run out.
   */
  @Override
  public Uni<List<Span>> roots(RootQuery query) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("tenant", query.tenant());
    parameters.put("from", query.range().startUnixNanos());
    parameters.put("to", query.range().endUnixNanos());
    StringBuilder where =
        new StringBuilder(
            " FROM "
                + schema.table(Schema.SPANS)
                + " FINAL WHERE tenant = {tenant:String} AND parent_span_id = ''"
                + " AND start_time >= fromUnixTimestamp64Nano({from:Int64})"
                + " AND start_time < fromUnixTimestamp64Nano({to:Int64})");
    if (query.serviceName() != null) {
      parameters.put("service", query.serviceName());
      where.append(" AND service_name = {service:String}");
    }
    if (query.status() != null) {
      where.append(
          switch (query.status()) {
            case "error" -> " AND status_code = 2";
            case "running" ->
                " AND status_code != 2 AND filter_attributes['"
                    + MastraAttributes.RUNNING
                    + "'] = 'true'";
            default -> " AND status_code != 2";
          });
    }
    where.append(FilterAttributes.condition(query.attributes(), parameters));
    String direction = query.oldestFirst() ? "" : " DESC";
    String order =
        " ORDER BY start_time" + direction + ", trace_id" + direction + ", span_id" + direction;
    int page = Math.max(query.limit(), 100);
    parameters.put("page", page);
    return access.run(
        "list root spans",
        c -> {
          List<Span> found = new ArrayList<>();
          RootQuery.Cursor after = query.after();
          while (true) {
            Map<String, Object> pageParameters = new HashMap<>(parameters);
            String keyset = "";
            if (after != null) {
              pageParameters.put("afterStart", after.startTimeUnixNanos());
              pageParameters.put("afterTrace", after.traceId());
              pageParameters.put("afterSpan", after.spanId());
              keyset =
                  " AND (start_time, trace_id, span_id) "
                      + (query.oldestFirst() ? ">" : "<")
                      + " (fromUnixTimestamp64Nano({afterStart:Int64}),"
                      + " unhex({afterTrace:String}), unhex({afterSpan:String}))";
            }
            List<Span> rows =
                access.queryBlocking(
                    c,
                    SELECT + where + keyset + order + " LIMIT {page:UInt32}",
                    pageParameters,
                    ClickHouseSpanStore::readSpans);
            for (Span span : rows) {
              if (query.matches(span)) {
                found.add(span);
                if (found.size() == query.limit()) {
                  return found;
                }
              }
            }
            if (rows.size() < page) {
              return found;
            }
            Span last = rows.getLast();
            after = new RootQuery.Cursor(last.startTimeUnixNanos(), last.traceId(), last.spanId());
          }
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    String before = " WHERE start_time < fromUnixTimestamp64Nano({cutoff:Int64})";
    return access.countThenDelete(
        "delete old spans",
        "SELECT count() FROM " + schema.table(Schema.SPANS) + " FINAL" + before,
        List.of(
            "DELETE FROM " + schema.local(Schema.SPANS) + schema.onCluster() + before,
            // Index rows whose every span is gone; rows reaching past the cutoff stay, and only
            // widen the range a trace lookup scans.
            "DELETE FROM "
                + schema.local(Schema.TRACE_INDEX)
                + schema.onCluster()
                + " WHERE last_start < fromUnixTimestamp64Nano({cutoff:Int64})"),
        Map.of("cutoff", cutoffUnixNanos),
        () -> {});
  }
}
