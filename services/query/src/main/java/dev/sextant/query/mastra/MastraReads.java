package dev.sextant.query.mastra;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import dev.sextant.query.core.QueryException;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.ValuePercentiles;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Mastra's observability storage methods over the SPI, for one tenant (reference §5.6): traces and
 * spans from root lists and whole traces with their payloads, logs, metric events and their OLAP,
 * scores, feedback, and discovery.
 */
@ApplicationScoped
public class MastraReads {
  /** How far back discovery looks, as Mastra's PostgreSQL store does (30 days). */
  static final long DISCOVERY_NANOS = 30L * 86_400_000_000_000L;

  private final StorageComponent storage;

  @Inject
  public MastraReads(StorageComponent storage) {
    this.storage = storage;
  }

  StorageComponent storage() {
    return storage;
  }

  // ---- traces -------------------------------------------------------------------------------

  /** {@code getTrace}: every span with its payload; NOT_FOUND when none is stored. */
  Uni<JsonObject> trace(String tenant, String traceId) {
    return storage
        .spans()
        .trace(tenant, traceId)
        .chain(
            spans -> {
              if (spans.isEmpty()) {
                throw QueryException.notFound("trace " + traceId + " not found");
              }
              return storage
                  .payloads()
                  .trace(tenant, traceId)
                  .map(
                      payloads -> {
                        Map<String, SpanPayload> bySpan = new HashMap<>();
                        payloads.forEach(p -> bySpan.put(p.spanId(), p));
                        JsonArray out = new JsonArray();
                        spans.forEach(s -> out.add(MastraJson.span(s, bySpan.get(s.spanId()))));
                        return new JsonObject().put("traceId", traceId).put("spans", out);
                      });
            });
  }

  /** {@code getSpan}: one span of the trace; NOT_FOUND when it is not stored. */
  Uni<JsonObject> span(String tenant, String traceId, String spanId) {
    return trace(tenant, traceId)
        .map(
            trace -> {
              for (Object s : trace.getJsonArray("spans")) {
                if (spanId.equals(((JsonObject) s).getString("spanId"))) {
                  return new JsonObject().put("span", s);
                }
              }
              throw QueryException.notFound("span " + spanId + " not found");
            });
  }

  /** {@code queryTraces} in keyset mode, root-span filters from the request's where clause. */
  Uni<JsonObject> queryTraces(String tenant, JsonObject request) {
    JsonObject timeRange = request.getJsonObject("timeRange", new JsonObject());
    TimeRange range =
        new TimeRange(
            timeRange.getString("from") == null
                ? 0
                : MastraRequests.time(timeRange.getString("from")),
            timeRange.getString("to") == null
                ? Long.MAX_VALUE
                : MastraRequests.time(timeRange.getString("to")));
    JsonObject page = request.getJsonObject("page", new JsonObject());
    int limit = MastraRequests.integer(page.getValue("limit"), 100, 1, 1000);
    boolean oldestFirst = false;
    JsonArray orderBy = request.getJsonArray("orderBy");
    if (orderBy != null && !orderBy.isEmpty()) {
      oldestFirst = "asc".equalsIgnoreCase(orderBy.getJsonObject(0).getString("direction"));
    }
    Map<String, String> attributes = new HashMap<>();
    String status = WherePredicates.collect(request.getJsonObject("where"), attributes);
    RootQuery query =
        new RootQuery(
            tenant,
            range,
            attributes,
            null,
            status,
            null,
            cursor(page.getString("after")),
            oldestFirst,
            limit + 1);
    return roots(tenant, query)
        .map(
            rows -> {
              boolean more = rows.size() > limit;
              List<JsonObject> shown = more ? rows.subList(0, limit) : rows;
              String next = null;
              if (more) {
                JsonObject last = shown.getLast();
                next = cursorText(last);
              }
              return new JsonObject()
                  .put("traces", new JsonArray(new ArrayList<>(shown)))
                  .put("page", new JsonObject().put("next", next));
            });
  }

  /** {@code listTraces} in page mode: {@code {pagination, spans}} of root spans. */
  Uni<JsonObject> listTraces(String tenant, JsonObject params) {
    JsonObject filters = params.getJsonObject("filters", params);
    int page = MastraRequests.integer(params.getValue("page"), 0, 0, 1_000_000);
    int perPage = MastraRequests.integer(params.getValue("perPage"), 10, 1, 100);
    String status = filters.getValue("status") instanceof String s ? s : null;
    RootQuery query =
        new RootQuery(
            tenant,
            MastraRequests.range(filters.getValue("startedAt")),
            MastraRequests.rootAttributes(filters),
            filters.getValue("serviceName") instanceof String s ? s : null,
            status,
            MastraRequests.strings(filters.getValue("tags")),
            null,
            "ASC".equalsIgnoreCase(params.getString("direction")),
            Math.min(RootQuery.MAX_LIMIT, (page + 1) * perPage + 1));
    return storage
        .spans()
        .roots(query)
        .map(
            roots -> {
              int from = Math.min(page * perPage, roots.size());
              int to = Math.min(from + perPage, roots.size());
              JsonArray spans = new JsonArray();
              roots.subList(from, to).forEach(r -> spans.add(MastraJson.span(r, null)));
              return new JsonObject()
                  .put("pagination", pagination(roots.size(), page, perPage, roots.size() > to))
                  .put("spans", spans);
            });
  }

  private Uni<List<JsonObject>> roots(String tenant, RootQuery query) {
    return storage
        .spans()
        .roots(query)
        .chain(
            roots -> {
              List<Uni<JsonObject>> rows = new ArrayList<>();
              for (Span root : roots) {
                rows.add(
                    storage
                        .payloads()
                        .trace(tenant, root.traceId())
                        .map(
                            payloads ->
                                MastraJson.traceRow(
                                    root,
                                    payloads.stream()
                                        .filter(p -> p.spanId().equals(root.spanId()))
                                        .findFirst()
                                        .orElse(null))));
              }
              return rows.isEmpty()
                  ? Uni.createFrom().item(List.<JsonObject>of())
                  : Uni.join().all(rows).andFailFast();
            });
  }

  private static RootQuery.Cursor cursor(String after) {
    if (after == null || after.isEmpty()) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(after)).split(":");
      return new RootQuery.Cursor(Long.parseLong(parts[0]), parts[1], parts[2]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid page cursor");
    }
  }

  private static String cursorText(JsonObject row) {
    long start = MastraRequests.time(row.getString("startedAt"));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (start + ":" + row.getString("traceId") + ":" + row.getString("rootSpanId"))
                .getBytes());
  }

  static JsonObject pagination(int total, int page, int perPage, boolean hasMore) {
    return new JsonObject()
        .put("total", total)
        .put("page", page)
        .put("perPage", perPage)
        .put("hasMore", hasMore);
  }

  // ---- logs ---------------------------------------------------------------------------------

  Uni<JsonObject> listLogs(String tenant, JsonObject params) {
    JsonObject filters = params.getJsonObject("filters", params);
    int page = MastraRequests.integer(params.getValue("page"), 0, 0, 100_000);
    int perPage = MastraRequests.integer(params.getValue("perPage"), 10, 1, 100);
    Map<String, String> attributes = new HashMap<>();
    MastraRequests.correlation(filters)
        .forEach((k, v) -> attributes.put("mastra.correlation." + k, v));
    Set<String> levels = new LinkedHashSet<>(MastraRequests.strings(filters.getValue("level")));
    LogQuery query =
        new LogQuery(
            tenant,
            MastraRequests.range(filters.getValue("timestamp")),
            null,
            filters.getValue("traceId") instanceof String t ? t : null,
            null,
            attributes,
            null,
            Math.min(LogQuery.MAX_LIMIT, (page + 1) * perPage * (levels.isEmpty() ? 1 : 8) + 1));
    return storage
        .logs()
        .search(query)
        .map(
            records -> {
              List<JsonObject> logs = new ArrayList<>();
              for (var r : records) {
                JsonObject log = MastraJson.log(r);
                if (levels.isEmpty() || levels.contains(log.getString("level"))) {
                  logs.add(log);
                }
              }
              int from = Math.min(page * perPage, logs.size());
              int to = Math.min(from + perPage, logs.size());
              return new JsonObject()
                  .put("pagination", pagination(logs.size(), page, perPage, logs.size() > to))
                  .put("logs", new JsonArray(new ArrayList<>(logs.subList(from, to))));
            });
  }

  // ---- events -------------------------------------------------------------------------------

  /** A page of events of one kind, newest first, as {@code {pagination, <key>: [...]}}. */
  <E extends CorrelatedEvent> Uni<JsonObject> listEvents(
      String tenant,
      JsonObject params,
      EventStore<E> store,
      String nameFilter,
      String key,
      Function<E, JsonObject> json) {
    JsonObject filters = params.getJsonObject("filters", params);
    int page = MastraRequests.integer(params.getValue("page"), 0, 0, 100_000);
    int perPage = MastraRequests.integer(params.getValue("perPage"), 10, 1, 100);
    Set<String> names = new LinkedHashSet<>(MastraRequests.strings(filters.getValue(nameFilter)));
    EventQuery query =
        MastraRequests.events(
            tenant,
            filters,
            names,
            !"ASC".equalsIgnoreCase(params.getString("direction")),
            Math.min(EventQuery.MAX_LIMIT, (page + 1) * perPage + 1));
    String reviewStatus = filters.getString("reviewStatus");
    return store
        .search(query)
        .map(
            events -> {
              List<JsonObject> rows = new ArrayList<>();
              for (E e : events) {
                JsonObject row = json.apply(e);
                if (reviewStatus == null || reviewStatus.equals(row.getString("reviewStatus"))) {
                  rows.add(row);
                }
              }
              int from = Math.min(page * perPage, rows.size());
              int to = Math.min(from + perPage, rows.size());
              return new JsonObject()
                  .put("pagination", pagination(rows.size(), page, perPage, rows.size() > to))
                  .put(key, new JsonArray(new ArrayList<>(rows.subList(from, to))));
            });
  }

  /**
   * What an OLAP route aggregates: metric events, or scores and numeric feedback seen as
   * observations of the same shape (name = scorer id or feedback type, value = score or number,
   * label = source), so that one implementation of Mastra's OLAP serves all three.
   */
  enum OlapSource {
    METRICS("name"),
    SCORES("scorerId"),
    FEEDBACK("feedbackType");

    final String nameField;

    OlapSource(String nameField) {
      this.nameField = nameField;
    }
  }

  Uni<List<MetricEvent>> metricEvents(String tenant, JsonObject request, TimeRange override) {
    return olapEvents(OlapSource.METRICS, tenant, request, override);
  }

  /**
   * The source's events a request's names and filters select (at most MAX_EVENTS when read), over
   * the request's time range or, when given, another.
   */
  private static EventQuery olapQuery(
      OlapSource source, String tenant, JsonObject request, TimeRange override) {
    JsonObject filters = request.getJsonObject("filters", new JsonObject());
    Set<String> names =
        new LinkedHashSet<>(MastraRequests.strings(request.getValue(source.nameField)));
    EventQuery query =
        MastraRequests.events(tenant, filters, names, false, MastraRequests.MAX_EVENTS);
    return override == null ? query : query.withRange(override);
  }

  /**
   * Totals per bucket (0: one bucket) and group of what an OLAP request selects. Metric events are
   * totalled by the store, over every selected event (ClickHouse does it in SQL); scores and
   * feedback are read (at most {@link MastraRequests#MAX_EVENTS}) and totalled here.
   */
  Uni<List<EventTotals>> olapTotals(
      OlapSource source,
      String tenant,
      JsonObject request,
      TimeRange override,
      long bucketNanos,
      List<String> groupBy) {
    EventSelection selection =
        source == OlapSource.METRICS
            ? metricSelection(tenant, request, override)
            : EventSelection.of(olapQuery(source, tenant, request, override));
    EventAggregation aggregation =
        new EventAggregation(selection, bucketNanos, groupBy, request.getString("distinctColumn"));
    if (source == OlapSource.METRICS) {
      return storage.metricEvents().totals(aggregation);
    }
    return olapEvents(source, tenant, request, override)
        .map(events -> EventTotals.of(events, aggregation));
  }

  Uni<List<MetricEvent>> olapEvents(
      OlapSource source, String tenant, JsonObject request, TimeRange override) {
    JsonObject filters = request.getJsonObject("filters", new JsonObject());
    EventQuery q = olapQuery(source, tenant, request, override);
    return switch (source) {
      case METRICS -> {
        String provider = filters.getString("provider");
        String model = filters.getString("model");
        yield storage
            .metricEvents()
            .search(q)
            .map(
                events ->
                    events.stream()
                        .filter(e -> provider == null || provider.equals(e.cost().provider()))
                        .filter(e -> model == null || model.equals(e.cost().model()))
                        .toList());
      }
      case SCORES -> {
        String wanted = request.getString("scoreSource");
        yield storage
            .scores()
            .search(q)
            .map(
                scores ->
                    scores.stream()
                        .filter(e -> wanted == null || wanted.equals(e.scoreSource()))
                        .map(e -> observation(e, e.score(), "scoreSource", e.scoreSource()))
                        .toList());
      }
      case FEEDBACK -> {
        String wanted = request.getString("feedbackSource");
        // Feedback OLAP is over numeric values only, as in Mastra's stores.
        yield storage
            .feedback()
            .search(q)
            .map(
                feedback ->
                    feedback.stream()
                        .filter(e -> e.numberValue() != null)
                        .filter(e -> wanted == null || wanted.equals(e.feedbackSource()))
                        .map(
                            e ->
                                observation(
                                    e, e.numberValue(), "feedbackSource", e.feedbackSource()))
                        .toList());
      }
    };
  }

  /**
   * Exact percentiles per bucket of the source's values. Those of metric events are computed by the
   * store over every selected event ({@link dev.sextant.storage.EventStore#percentiles}: ClickHouse
   * in SQL, the others by visiting them); scores and feedback are read (at most {@link
   * MastraRequests#MAX_EVENTS}) and computed here.
   */
  Uni<NavigableMap<Long, double[]>> percentiles(
      OlapSource source, String tenant, JsonObject request, long bucketNanos, double[] levels) {
    if (source == OlapSource.METRICS) {
      return storage
          .metricEvents()
          .percentiles(metricSelection(tenant, request, null), bucketNanos, levels);
    }
    return olapEvents(source, tenant, request, null)
        .map(events -> ValuePercentiles.of(events, bucketNanos, levels));
  }

  /** The metric events an OLAP request selects: its names and filters, provider and model. */
  private static EventSelection metricSelection(
      String tenant, JsonObject request, TimeRange override) {
    JsonObject filters = request.getJsonObject("filters", new JsonObject());
    return new EventSelection(
        olapQuery(OlapSource.METRICS, tenant, request, override),
        filters.getString("provider"),
        filters.getString("model"));
  }

  private static MetricEvent observation(
      CorrelatedEvent e, double value, String sourceLabel, String source) {
    return new MetricEvent(
        e.tenant(),
        e.id(),
        e.timeUnixNanos(),
        e.name(),
        value,
        source.isEmpty() ? Map.of() : Map.of(sourceLabel, source),
        e.traceId(),
        e.spanId(),
        e.correlation(),
        dev.sextant.model.Cost.NONE,
        "");
  }

  Uni<JsonObject> aggregate(OlapSource source, String tenant, JsonObject request) {
    String aggregation = MetricOlap.aggregation(request);
    Uni<List<EventTotals>> current = olapTotals(source, tenant, request, null, 0, List.of());
    String compare = request.getString("comparePeriod");
    JsonObject timestamp =
        request.getJsonObject("filters", new JsonObject()).getJsonObject("timestamp");
    if (compare == null
        || timestamp == null
        || timestamp.getString("start") == null
        || timestamp.getString("end") == null) {
      return current.map(
          totals ->
              MetricOlap.cost(
                  totals, new JsonObject().put("value", MetricOlap.total(totals, aggregation))));
    }
    long start = MastraRequests.time(timestamp.getString("start"));
    long end = MastraRequests.time(timestamp.getString("end"));
    long shift =
        switch (compare) {
          case "previous_day" -> 86_400_000_000_000L;
          case "previous_week" -> 7 * 86_400_000_000_000L;
          default -> end - start;
        };
    Uni<List<EventTotals>> previous =
        olapTotals(
            source, tenant, request, new TimeRange(start - shift, end - shift + 1), 0, List.of());
    return Uni.combine()
        .all()
        .unis(current, previous)
        .asTuple()
        .map(
            both -> {
              Double value = MetricOlap.total(both.getItem1(), aggregation);
              Double before = MetricOlap.total(both.getItem2(), aggregation);
              JsonObject now = MetricOlap.cost(both.getItem1(), new JsonObject());
              JsonObject then = MetricOlap.cost(both.getItem2(), new JsonObject());
              return now.put("value", value)
                  .put("previousValue", before)
                  .put("changePercent", change(value, before))
                  .put("previousEstimatedCost", then.getValue("estimatedCost"))
                  .put(
                      "costChangePercent",
                      change(now.getDouble("estimatedCost"), then.getDouble("estimatedCost")));
            });
  }

  private static Double change(Double now, Double before) {
    if (now == null || before == null || before == 0) {
      return null;
    }
    return (now - before) / Math.abs(before) * 100;
  }

  // ---- discovery ----------------------------------------------------------------------------

  /** Distinct values of root spans of the last 30 days, by a function of the span. */
  Uni<List<String>> rootValues(String tenant, long now, Function<Span, List<String>> values) {
    RootQuery query =
        new RootQuery(
            tenant,
            new TimeRange(Math.max(0, now - DISCOVERY_NANOS), Long.MAX_VALUE),
            null,
            null,
            null,
            null,
            null,
            false,
            RootQuery.MAX_LIMIT);
    return storage
        .spans()
        .roots(query)
        .map(
            roots -> {
              TreeSet<String> found = new TreeSet<>();
              roots.forEach(
                  r ->
                      values.apply(r).stream()
                          .filter(v -> v != null && !v.isEmpty())
                          .forEach(found::add));
              return List.copyOf(found);
            });
  }

  Uni<List<String>> metricNames(String tenant, long now) {
    return storage
        .metricEvents()
        .names(tenant, new TimeRange(Math.max(0, now - DISCOVERY_NANOS), Long.MAX_VALUE), 1000);
  }

  static List<String> single(String value) {
    return value == null ? List.of() : List.of(value);
  }

  static List<String> entityName(Span s, String type) {
    Map<String, Object> a = s.attributes();
    if (type != null && !type.equals(MastraAttributes.text(a, MastraAttributes.ENTITY_TYPE))) {
      return List.of();
    }
    return single(MastraAttributes.text(a, MastraAttributes.ENTITY_NAME));
  }
}
