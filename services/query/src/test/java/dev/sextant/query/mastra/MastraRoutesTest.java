package dev.sextant.query.mastra;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.spanId;
import static dev.sextant.query.Fixtures.traceId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.Feedback;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.SpanPayload;
import dev.sextant.model.StatusCode;
import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mastra's observability routes and Studio's shell over data written to the store. */
@QuarkusTest
class MastraRoutesTest {
  private static final int SLOT = 40;
  private static final long BASE = base(SLOT);
  private static final String T = Tenants.DEFAULT;
  private static final String AGENT = traceId(SLOT, 1);
  private static final String WORKFLOW = traceId(SLOT, 2);
  private static final String OTHER_AGENT = traceId(SLOT, 3);

  @Inject StorageComponent storage;

  private static String iso(long nanos) {
    return Instant.ofEpochSecond(0, nanos).toString();
  }

  private static Span span(
      String trace,
      int id,
      int parent,
      String type,
      long offsetSeconds,
      StatusCode status,
      Map<String, Object> extra) {
    Map<String, Object> attributes = new LinkedHashMap<>(extra);
    attributes.put(MastraAttributes.SPAN_TYPE, type);
    return new Span(
        T,
        trace,
        spanId(id),
        parent == 0 ? "" : spanId(parent),
        type + " " + id,
        type.equals("model_inference") ? SpanKind.CLIENT : SpanKind.INTERNAL,
        BASE + offsetSeconds * SECOND,
        BASE + offsetSeconds * SECOND + SECOND / 2,
        status,
        status == StatusCode.ERROR ? "card declined" : "",
        "shop-agent",
        "@mastra/observability",
        "",
        Map.of("service.name", "shop-agent"),
        attributes,
        List.of(),
        List.of(),
        0);
  }

  private static Map<String, Object> entity(String type, String name, String thread) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put(MastraAttributes.ENTITY_TYPE, type);
    a.put(MastraAttributes.ENTITY_NAME, name);
    a.put(MastraAttributes.METADATA_PREFIX + "threadId", thread);
    a.put(MastraAttributes.METADATA_PREFIX + "environment", "staging");
    a.put(MastraAttributes.TAGS, List.<Object>of("slot40"));
    return a;
  }

  private static MetricEvent event(
      String id, long offsetSeconds, String name, double value, String status, String thread) {
    return new MetricEvent(
        T,
        "slot40-" + id,
        BASE + offsetSeconds * SECOND,
        name,
        value,
        status == null ? Map.of() : Map.of("status", status),
        "",
        "",
        new Correlation(
            Map.of(Correlation.ENTITY_NAME, "Shop Agent", Correlation.THREAD_ID, thread),
            List.of()),
        new Cost(
            "openai",
            "gpt-4o-mini",
            name.contains("tokens") ? value / 1e6 : null,
            name.contains("tokens") ? "USD" : "",
            ""),
        "");
  }

  @BeforeEach
  void write() {
    Map<String, Object> usage = new LinkedHashMap<>(entity("agent", "Shop Agent", "t1"));
    usage.put(MastraAttributes.USAGE_INPUT, 120L);
    usage.put(MastraAttributes.USAGE_CACHE_READ, 20L);
    usage.put(MastraAttributes.COST_AMOUNT, 0.5);
    usage.put(MastraAttributes.COST_UNIT, "USD");
    usage.put(MastraAttributes.GEN_AI_REQUEST_MODEL, "gpt-4o-mini");
    Map<String, Object> failedStep = new LinkedHashMap<>(entity("workflow_step", "checkout", "t2"));
    failedStep.put(MastraAttributes.ERROR_TYPE, "STEP_FAILED");
    failedStep.put("mastra.workflow_step.step_id", "charge");
    Fixtures.writeSpans(
        storage,
        List.of(
            span(AGENT, 1, 0, "agent_run", 0, StatusCode.OK, entity("agent", "Shop Agent", "t1")),
            span(AGENT, 2, 1, "model_inference", 0, StatusCode.OK, usage),
            span(
                WORKFLOW,
                3,
                0,
                "workflow_run",
                10,
                StatusCode.ERROR,
                entity("workflow_run", "checkout", "t2")),
            span(WORKFLOW, 4, 3, "workflow_step", 10, StatusCode.ERROR, failedStep),
            span(
                OTHER_AGENT,
                5,
                0,
                "agent_run",
                20,
                StatusCode.OK,
                entity("agent", "Support Agent", "t1"))));
    storage
        .payloads()
        .write(
            List.of(
                new SpanPayload(
                    T,
                    AGENT,
                    spanId(1),
                    BASE,
                    "\"Where is my order?\"",
                    "{\"text\":\"On its way\"}",
                    false)))
        .await()
        .atMost(Duration.ofSeconds(10));
    storage
        .metricEvents()
        .write(
            List.of(
                event("a", 0, "slot40_duration_ms", 1, "ok", "t1"),
                event("b", 1, "slot40_duration_ms", 2, "ok", "t2"),
                event("c", 2, "slot40_duration_ms", 3, "error", "t1"),
                event("d", 3600, "slot40_duration_ms", 4, null, "t3"),
                event("e", 0, "slot40_input_tokens", 100, null, "t1"),
                event("f", -86_400 + 5, "slot40_input_tokens", 50, null, "t1")))
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private static Span at(Span s, long start) {
    return new Span(
        s.tenant(),
        s.traceId(),
        s.spanId(),
        s.parentSpanId(),
        s.name(),
        s.kind(),
        start,
        start + s.durationNanos(),
        s.statusCode(),
        s.statusMessage(),
        s.serviceName(),
        s.scopeName(),
        s.scopeVersion(),
        s.resourceAttributes(),
        s.attributes(),
        s.events(),
        s.links(),
        0);
  }

  private static Map<String, Object> window() {
    return Map.of("start", iso(BASE - SECOND), "end", iso(BASE + 86_400 * SECOND - 2 * SECOND));
  }

  private static JsonPath post(String path, Object body) {
    Response response =
        given().contentType("application/json").body(body).post("/api/observability" + path);
    assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    return response.jsonPath();
  }

  @Test
  void aTraceIsMastrasSpanRecordsWithPayloadsUsageCostAndStatus() {
    JsonPath trace =
        given()
            .get("/api/observability/traces/" + AGENT)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(trace.getList("spans")).hasSize(2);
    assertThat(trace.getString("spans[0].spanType")).isEqualTo("agent_run");
    assertThat(trace.getString("spans[0].parentSpanId")).isNull();
    assertThat(trace.getString("spans[0].input")).isEqualTo("Where is my order?");
    assertThat(trace.getString("spans[0].output.text")).isEqualTo("On its way");
    assertThat(trace.getString("spans[0].threadId")).isEqualTo("t1");
    assertThat(trace.getList("spans[0].tags")).containsExactly("slot40");
    assertThat(trace.getInt("spans[1].attributes.usage.inputTokens")).isEqualTo(120);
    assertThat(trace.getInt("spans[1].attributes.usage.inputDetails.cacheRead")).isEqualTo(20);
    assertThat(trace.getDouble("spans[1].attributes.costContext.estimatedCost")).isEqualTo(0.5);

    JsonPath failed =
        given()
            .get("/api/observability/traces/" + WORKFLOW + "/spans/" + spanId(4))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(failed.getString("span.status")).isEqualTo("error");
    assertThat(failed.getString("span.error.message")).isEqualTo("card declined");
    assertThat(failed.getString("span.error.id")).isEqualTo("STEP_FAILED");
    assertThat(failed.getString("span.attributes.stepId")).isEqualTo("charge");
    given().get("/api/observability/traces/" + traceId(SLOT, 99)).then().statusCode(404);
  }

  @Test
  void traceQueryPagesByKeysetAndFiltersTheRoots() {
    Map<String, Object> range = Map.of("from", iso(BASE - SECOND), "to", iso(BASE + 60 * SECOND));
    JsonPath first = post("/traces/query", Map.of("timeRange", range, "page", Map.of("limit", 2)));
    assertThat(first.getList("traces.traceId")).containsExactly(OTHER_AGENT, WORKFLOW);
    String next = first.getString("page.next");
    assertThat(next).isNotNull();
    JsonPath second =
        post(
            "/traces/query", Map.of("timeRange", range, "page", Map.of("limit", 2, "after", next)));
    assertThat(second.getList("traces.traceId")).containsExactly(AGENT);
    assertThat(second.getString("page.next")).isNull();
    assertThat(second.getString("traces[0].inputPreview")).isEqualTo("Where is my order?");

    Map<String, Object> agents =
        Map.of(
            "op",
            "and",
            "args",
            List.of(
                Map.of(
                    "op",
                    "eq",
                    "left",
                    Map.of("path", "entityType"),
                    "right",
                    Map.of("literal", "agent")),
                Map.of(
                    "op",
                    "eq",
                    "left",
                    Map.of("path", "threadId"),
                    "right",
                    Map.of("literal", "t1"))));
    assertThat(
            post("/traces/query", Map.of("timeRange", range, "where", agents))
                .getList("traces.traceId"))
        .containsExactly(OTHER_AGENT, AGENT);
    Map<String, Object> errors =
        Map.of("op", "eq", "left", Map.of("path", "status"), "right", Map.of("literal", "error"));
    assertThat(
            post("/traces/query", Map.of("timeRange", range, "where", errors))
                .getList("traces.traceId"))
        .containsExactly(WORKFLOW);
    // A predicate Sextant cannot answer is refused, never ignored.
    Map<String, Object> unsupported =
        Map.of("op", "gt", "left", Map.of("path", "durationMs"), "right", Map.of("literal", 5));
    given()
        .contentType("application/json")
        .body(Map.of("timeRange", range, "where", unsupported))
        .post("/api/observability/traces/query")
        .then()
        .statusCode(400);
  }

  @Test
  void metricOlapFollowsMastrasSemantics() {
    Map<String, Object> filters = Map.of("timestamp", window());
    JsonPath sum =
        post(
            "/metrics/aggregate",
            Map.of(
                "name",
                List.of("slot40_input_tokens"),
                "aggregation",
                "sum",
                "filters",
                filters,
                "comparePeriod",
                "previous_period"));
    assertThat(sum.getDouble("value")).isEqualTo(100);
    assertThat(sum.getDouble("previousValue")).isEqualTo(50);
    assertThat(sum.getDouble("changePercent")).isEqualTo(100);
    assertThat(sum.getDouble("estimatedCost")).isEqualTo(1e-4);
    assertThat(sum.getString("costUnit")).isEqualTo("USD");

    JsonPath threads =
        post(
            "/metrics/aggregate",
            Map.of(
                "name",
                List.of("slot40_duration_ms"),
                "aggregation",
                "count_distinct",
                "distinctColumn",
                "threadId",
                "filters",
                filters));
    assertThat(threads.getDouble("value")).isEqualTo(3);

    // A group key that is no column is a label; events without the label are left out.
    JsonPath byStatus =
        post(
            "/metrics/breakdown",
            Map.of(
                "name",
                List.of("slot40_duration_ms"),
                "groupBy",
                List.of("entityName", "status"),
                "aggregation",
                "count",
                "filters",
                filters));
    assertThat(byStatus.getList("groups")).hasSize(2);
    assertThat(byStatus.getString("groups[0].dimensions.status")).isEqualTo("ok");
    assertThat(byStatus.getDouble("groups[0].value")).isEqualTo(2);

    JsonPath series =
        post(
            "/metrics/timeseries",
            Map.of(
                "name",
                List.of("slot40_duration_ms"),
                "interval",
                "1h",
                "aggregation",
                "sum",
                "filters",
                filters));
    assertThat(series.getList("series[0].points")).hasSize(2); // only non-empty hourly buckets
    assertThat(series.getDouble("series[0].points[0].value")).isEqualTo(6);

    JsonPath p =
        post(
            "/metrics/percentiles",
            Map.of(
                "name",
                "slot40_duration_ms",
                "percentiles",
                List.of(0.5),
                "interval",
                "1d",
                "filters",
                filters));
    assertThat(p.getDouble("series[0].points[0].value")).isEqualTo(2.5); // 1,2,3,4 interpolated

    // A percentile outside 0..1 is the request's mistake, said as such.
    given()
        .contentType("application/json")
        .body(Map.of("name", "slot40_duration_ms", "percentiles", List.of(1.5)))
        .post("/api/observability/metrics/percentiles")
        .then()
        .statusCode(400)
        .body(org.hamcrest.Matchers.containsString("0..1"));
  }

  @Test
  void discoveryNamesEntitiesAndTagsOfTheLast30Days() {
    long recent = Fixtures.nowMinus(Duration.ofMinutes(1));
    Span recentAgent =
        span(
            traceId(SLOT, 10),
            10,
            0,
            "agent_run",
            0,
            StatusCode.OK,
            entity("agent", "Recent Agent", "t9"));
    Span recentFlow =
        span(
            traceId(SLOT, 11),
            11,
            0,
            "workflow_run",
            0,
            StatusCode.OK,
            entity("workflow_run", "recent-flow", "t9"));
    Fixtures.writeSpans(storage, List.of(at(recentAgent, recent), at(recentFlow, recent)));
    assertThat(
            given()
                .get("/api/observability/discovery/entity-names?entityType=agent")
                .jsonPath()
                .getList("names"))
        .contains("Recent Agent")
        .doesNotContain("recent-flow", "Shop Agent"); // 2024 is older than 30 days
    assertThat(given().get("/api/observability/discovery/tags").jsonPath().getList("tags"))
        .contains("slot40");
    assertThat(
            given()
                .get("/api/observability/discovery/environments")
                .jsonPath()
                .getList("environments"))
        .contains("staging");
    assertThat(
            given()
                .get("/api/observability/discovery/metric-label-keys?metricName=slot40_duration_ms")
                .jsonPath()
                .getList("keys"))
        .containsExactly("status");
  }

  private static Score score(String id, double value, String source) {
    return new Score(
        T,
        "slot40-" + id,
        BASE,
        AGENT,
        "",
        "slot40-relevance",
        "Relevance",
        "",
        source,
        value,
        "",
        "",
        Correlation.NONE,
        "");
  }

  private static Feedback feedback(String id, Double number, String text) {
    return new Feedback(
        T,
        "slot40-" + id,
        BASE,
        AGENT,
        "",
        "user",
        "slot40-thumbs",
        number,
        text,
        "",
        "",
        "",
        Feedback.NEEDS_REVIEW,
        Correlation.NONE,
        "");
  }

  @Test
  void scoresAndFeedbackAreListedAndAggregatedLikeMetrics() {
    storage
        .scores()
        .write(
            List.of(
                score("s1", 0.5, "live"), score("s2", 1.0, "live"), score("s3", 0.0, "experiment")))
        .await()
        .atMost(Duration.ofSeconds(10));
    storage
        .feedback()
        .write(
            List.of(
                feedback("f1", 1.0, null), feedback("f2", 0.0, null), feedback("f3", null, "meh")))
        .await()
        .atMost(Duration.ofSeconds(10));
    Map<String, Object> filters = Map.of("timestamp", window());
    assertThat(
            post(
                    "/scores/aggregate",
                    Map.of(
                        "scorerId", "slot40-relevance", "aggregation", "avg", "filters", filters))
                .getDouble("value"))
        .isEqualTo(0.5);
    assertThat(
            post(
                    "/scores/aggregate",
                    Map.of(
                        "scorerId",
                        "slot40-relevance",
                        "scoreSource",
                        "live",
                        "aggregation",
                        "avg",
                        "filters",
                        filters))
                .getDouble("value"))
        .isEqualTo(0.75);
    JsonPath bySource =
        post(
            "/scores/breakdown",
            Map.of(
                "scorerId",
                "slot40-relevance",
                "groupBy",
                List.of("scoreSource"),
                "aggregation",
                "count",
                "filters",
                filters));
    assertThat(bySource.getString("groups[0].dimensions.scoreSource")).isEqualTo("live");
    assertThat(bySource.getDouble("groups[0].value")).isEqualTo(2);
    // Feedback OLAP counts numeric values only; the list shows every feedback.
    assertThat(
            post(
                    "/feedback/aggregate",
                    Map.of(
                        "feedbackType",
                        "slot40-thumbs",
                        "aggregation",
                        "count",
                        "filters",
                        filters))
                .getDouble("value"))
        .isEqualTo(2);
    assertThat(
            given()
                .get(
                    "/api/observability/feedback?feedbackType=slot40-thumbs&perPage=10&traceId="
                        + AGENT)
                .jsonPath()
                .getList("feedback.value"))
        .hasSize(3)
        .contains("meh");
    assertThat(
            given()
                .get("/api/observability/scores?scorerId=slot40-relevance&perPage=2")
                .jsonPath()
                .getBoolean("pagination.hasMore"))
        .isTrue();
  }

  @Test
  void studioShellAndCors() {
    given().get("/").then().statusCode(200);
    given().get("/api/auth/capabilities").then().statusCode(200);
    JsonPath packages = given().get("/api/system/packages").jsonPath();
    assertThat(packages.getBoolean("observabilityEnabled")).isTrue();
    assertThat(packages.getBoolean("observabilityStorageCapabilities.metrics")).isTrue();
    assertThat(given().get("/api/workspaces").jsonPath().getList("workspaces")).isEmpty();

    Response preflight =
        given()
            .header("Origin", "http://localhost:3000")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,x-mastra-client-type")
            .options("/api/observability/traces/query");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
    assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("x-mastra-client-type");
    Response foreign =
        given().header("Origin", "https://evil.example").get("/api/auth/capabilities");
    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
  }
}
