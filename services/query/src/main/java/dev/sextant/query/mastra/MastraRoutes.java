package dev.sextant.query.mastra;

import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.query.core.Outcome;
import dev.sextant.query.core.ReaderTenant;
import dev.sextant.service.auth.Principals;
import dev.sextant.service.errors.Failures;
import dev.sextant.storage.query.ValuePercentiles;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Mastra's observability routes under {@code /api/observability} (reference §5.8) and the shell
 * routes Mastra Studio needs to run against Sextant (mastra-studio.md): thin adapters over {@link
 * MastraReads}, answering Mastra's JSON shapes.
 */
@ApplicationScoped
public class MastraRoutes {
  private static final String OBS = "/api/observability";

  @Inject MastraReads reads;

  void init(@Observes Router router) {
    // Only here: the Prometheus API (JAX-RS) reads its own form bodies under /api/v1.
    router.route(OBS + "/*").handler(BodyHandler.create(false).setBodyLimit(1 << 20));
    shell(router);
    post(router, OBS + "/traces/query", (t, rc) -> reads.queryTraces(t, MastraRequests.body(rc)));
    post(
        router,
        OBS + "/traces/query/fields",
        (t, rc) -> Uni.createFrom().item(TraceFields.fields()));
    get(router, OBS + "/traces", (t, rc) -> reads.listTraces(t, MastraRequests.query(rc)));
    get(router, OBS + "/traces/:traceId", (t, rc) -> reads.trace(t, rc.pathParam("traceId")));
    get(router, OBS + "/traces/:traceId/light", (t, rc) -> reads.trace(t, rc.pathParam("traceId")));
    get(
        router,
        OBS + "/traces/:traceId/spans/:spanId",
        (t, rc) -> reads.span(t, rc.pathParam("traceId"), rc.pathParam("spanId")));
    get(router, OBS + "/logs", (t, rc) -> reads.listLogs(t, MastraRequests.query(rc)));
    get(
        router,
        OBS + "/metrics",
        (t, rc) ->
            reads.listEvents(
                t,
                MastraRequests.query(rc),
                storageMetricEvents(),
                "name",
                "metrics",
                MastraJson::metric));
    get(
        router,
        OBS + "/scores",
        (t, rc) ->
            reads.listEvents(
                t,
                MastraRequests.query(rc),
                reads.storage().scores(),
                "scorerId",
                "scores",
                MastraJson::score));
    get(
        router,
        OBS + "/feedback",
        (t, rc) ->
            reads.listEvents(
                t,
                MastraRequests.query(rc),
                reads.storage().feedback(),
                "feedbackType",
                "feedback",
                MastraJson::feedback));
    for (MastraReads.OlapSource source : MastraReads.OlapSource.values()) {
      olap(router, OBS + "/" + source.name().toLowerCase(java.util.Locale.ROOT), source);
    }
    discovery(router);
  }

  /** Mastra's four OLAP routes over one source (metrics, scores or feedback). */
  private void olap(Router router, String prefix, MastraReads.OlapSource source) {
    post(
        router,
        prefix + "/aggregate",
        (t, rc) -> reads.aggregate(source, t, MastraRequests.body(rc)));
    post(
        router,
        prefix + "/breakdown",
        (t, rc) -> {
          JsonObject body = MastraRequests.body(rc);
          String aggregation = MetricOlap.aggregation(body);
          List<String> groupBy = MastraRequests.strings(body.getValue("groupBy"));
          int limit = MastraRequests.integer(body.getValue("limit"), 1000, 1, 1000);
          boolean ascending = "ASC".equalsIgnoreCase(body.getString("orderDirection"));
          return reads
              .olapTotals(source, t, body, null, 0, groupBy)
              .map(totals -> MetricOlap.breakdown(totals, groupBy, aggregation, limit, ascending));
        });
    post(
        router,
        prefix + "/timeseries",
        (t, rc) -> {
          JsonObject body = MastraRequests.body(rc);
          String aggregation = MetricOlap.aggregation(body);
          List<String> groupBy = MastraRequests.strings(body.getValue("groupBy"));
          long bucket = MetricOlap.intervalNanos(body.getString("interval", "1h"));
          return reads
              .olapTotals(source, t, body, null, bucket, groupBy)
              .map(
                  totals ->
                      MetricOlap.timeSeries(
                          totals,
                          MastraRequests.strings(body.getValue(source.nameField)),
                          aggregation,
                          groupBy));
        });
    post(
        router,
        prefix + "/percentiles",
        (t, rc) -> {
          JsonObject body = MastraRequests.body(rc);
          double[] levels =
              body.getJsonArray("percentiles", new JsonArray().add(0.5)).stream()
                  .mapToDouble(p -> ((Number) p).doubleValue())
                  .toArray();
          long bucket = MetricOlap.intervalNanos(body.getString("interval", "1h"));
          ValuePercentiles.check(bucket, levels);
          return reads
              .percentiles(source, t, body, bucket, levels)
              .map(buckets -> MetricOlap.percentiles(buckets, levels));
        });
  }

  private dev.sextant.storage.EventStore<dev.sextant.model.MetricEvent> storageMetricEvents() {
    return reads.storage().metricEvents();
  }

  private void discovery(Router router) {
    String d = OBS + "/discovery";
    get(
        router,
        d + "/metric-names",
        (t, rc) ->
            reads.metricNames(t, now()).map(n -> new JsonObject().put("names", new JsonArray(n))));
    get(
        router,
        d + "/metric-label-keys",
        (t, rc) ->
            reads
                .metricEvents(
                    t, new JsonObject().put("name", rc.queryParams().get("metricName")), null)
                .map(
                    events ->
                        new JsonObject()
                            .put(
                                "keys",
                                new JsonArray(
                                    events.stream()
                                        .flatMap(e -> e.labels().keySet().stream())
                                        .distinct()
                                        .sorted()
                                        .toList()))));
    get(
        router,
        d + "/metric-label-values",
        (t, rc) -> {
          String key = rc.queryParams().get("labelKey");
          return reads
              .metricEvents(
                  t, new JsonObject().put("name", rc.queryParams().get("metricName")), null)
              .map(
                  events ->
                      new JsonObject()
                          .put(
                              "values",
                              new JsonArray(
                                  events.stream()
                                      .map(e -> e.labels().get(key))
                                      .filter(v -> v != null)
                                      .distinct()
                                      .sorted()
                                      .toList())));
        });
    get(
        router,
        d + "/entity-types",
        (t, rc) ->
            reads
                .rootValues(
                    t,
                    now(),
                    s ->
                        MastraReads.single(
                            MastraAttributes.text(s.attributes(), MastraAttributes.ENTITY_TYPE)))
                .map(v -> new JsonObject().put("entityTypes", new JsonArray(v))));
    get(
        router,
        d + "/entity-names",
        (t, rc) -> {
          String type = rc.queryParams().get("entityType");
          return reads
              .rootValues(t, now(), s -> MastraReads.entityName(s, type))
              .map(v -> new JsonObject().put("names", new JsonArray(v)));
        });
    get(
        router,
        d + "/service-names",
        (t, rc) ->
            reads
                .rootValues(t, now(), s -> MastraReads.single(s.serviceName()))
                .map(v -> new JsonObject().put("serviceNames", new JsonArray(v))));
    get(
        router,
        d + "/environments",
        (t, rc) ->
            reads
                .rootValues(
                    t,
                    now(),
                    s ->
                        MastraReads.single(
                            MastraAttributes.metadata(s.attributes(), "environment")))
                .map(v -> new JsonObject().put("environments", new JsonArray(v))));
    get(
        router,
        d + "/tags",
        (t, rc) ->
            reads
                .rootValues(t, now(), (Span s) -> MastraAttributes.tags(s.attributes()))
                .map(v -> new JsonObject().put("tags", new JsonArray(v))));
  }

  /** What Studio's app shell asks on every page (mastra-studio.md §1.3, §2). */
  private void shell(Router router) {
    router
        .get("/")
        .handler(rc -> json(rc, 200, new JsonObject().put("name", "sextant").put("api", "/api")));
    router
        .get("/api/auth/capabilities")
        .handler(rc -> json(rc, 200, new JsonObject().put("enabled", false).putNull("login")));
    router.get("/api/system/packages").handler(rc -> json(rc, 200, SystemPackages.answer()));
    // Sextant runs no agents: Mastra's own non-observability routes answer empty, in the shapes
    // Studio reads (lists where it reads a list).
    Map<String, JsonObject> empty =
        Map.ofEntries(
            Map.entry("/api/agents", new JsonObject()),
            Map.entry("/api/workflows", new JsonObject()),
            Map.entry("/api/tools", new JsonObject()),
            Map.entry("/api/processors", new JsonObject()),
            Map.entry(
                "/api/mcp/v0/servers",
                new JsonObject()
                    .put("servers", new JsonArray())
                    .put("total_count", 0)
                    .putNull("next")),
            Map.entry("/api/scores/scorers", new JsonObject()),
            Map.entry("/api/workspaces", new JsonObject().put("workspaces", new JsonArray())),
            Map.entry("/api/experiments/review-summary", new JsonObject()),
            Map.entry("/api/editor/builder/settings", new JsonObject()),
            Map.entry("/api/datasets", new JsonObject()),
            Map.entry("/api/experiments", new JsonObject()));
    empty.forEach((path, body) -> router.get(path).handler(rc -> json(rc, 200, body)));
  }

  private void get(
      Router router, String path, BiFunction<String, RoutingContext, Uni<JsonObject>> read) {
    router.get(path).handler(rc -> run(rc, read));
  }

  private void post(
      Router router, String path, BiFunction<String, RoutingContext, Uni<JsonObject>> read) {
    router.post(path).handler(rc -> run(rc, read));
  }

  private static void run(
      RoutingContext rc, BiFunction<String, RoutingContext, Uni<JsonObject>> read) {
    Uni<JsonObject> answer;
    try {
      String tenant = ReaderTenant.of(Principals.of(rc));
      answer = read.apply(tenant, rc);
    } catch (RuntimeException e) {
      failed(rc, e);
      return;
    }
    answer.subscribe().with(body -> json(rc, 200, body), failure -> failed(rc, failure));
  }

  private static void failed(RoutingContext rc, Throwable failure) {
    Outcome outcome = Outcome.of(failure);
    int status =
        switch (outcome) {
          case BAD_INPUT, EXECUTION -> 400;
          case NOT_FOUND -> 404;
          case PERMISSION_DENIED -> 403;
          case OVERLOADED -> 429;
          case UNAVAILABLE, TIMEOUT -> 503;
          case CANCELED -> 499;
          case INTERNAL, OK -> 500;
        };
    if (outcome.retryable()) {
      rc.response().putHeader("Retry-After", Integer.toString(Failures.RETRY_AFTER_SECONDS));
    }
    json(rc, status, new JsonObject().put("error", outcome.clientMessage(failure)));
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }

  private static long now() {
    java.time.Instant t = java.time.Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
