package dev.sextant.query.rest;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.simpleSpan;
import static dev.sextant.query.Fixtures.span;
import static dev.sextant.query.Fixtures.spanId;
import static dev.sextant.query.Fixtures.traceId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.StatusCode;
import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TraceApiTest {
  private static final int SLOT = 1;
  private static final String T = Tenants.DEFAULT;
  private static final long BASE = base(SLOT);
  private static final String TREE = traceId(SLOT, 1);
  private static final String QUICK = traceId(SLOT, 2);
  private static final String FAILED = traceId(SLOT, 3);
  private static final String WINDOW =
      "start=" + (BASE / SECOND - 1) + "&end=" + (BASE / SECOND + 3600);

  @Inject StorageComponent storage;

  @BeforeEach
  void writeTraces() {
    Map<String, Object> typed =
        Map.of(
            "str",
            "x",
            "int",
            42L,
            "big",
            9_007_199_254_740_993L,
            "dbl",
            1.5,
            "bool",
            true,
            "list",
            List.of("a", 1L),
            "map",
            Map.of("k", "v"));
    Fixtures.writeSpans(
        storage,
        List.of(
            span(
                T,
                TREE,
                spanId(1),
                "",
                "agent.run",
                "agent",
                BASE,
                10 * SECOND,
                StatusCode.OK,
                typed),
            span(
                T,
                TREE,
                spanId(2),
                spanId(1),
                "llm.call",
                "agent",
                BASE + 2 * SECOND,
                3 * SECOND,
                StatusCode.ERROR,
                Map.of()),
            span(
                T,
                TREE,
                spanId(3),
                spanId(1),
                "tool.call",
                "agent",
                BASE + SECOND,
                SECOND / 2,
                StatusCode.UNSET,
                Map.of()),
            simpleSpan(T, TREE, spanId(4), spanId(3), BASE + SECOND + SECOND / 10, "agent"),
            simpleSpan(T, TREE, spanId(5), spanId(77), BASE + SECOND / 2, "worker"),
            span(
                T,
                QUICK,
                spanId(1),
                "",
                "agent.run",
                "agent",
                BASE + 60 * SECOND,
                200_000_000L,
                StatusCode.OK,
                Map.of("model", "gpt")),
            span(
                T,
                FAILED,
                spanId(1),
                "",
                "job",
                "other",
                BASE + 120 * SECOND,
                5 * SECOND,
                StatusCode.ERROR,
                Map.of("model", "claude"))));
  }

  @Test
  void aTraceIsATreeOfRootsAndOrphansWithEveryField() {
    JsonPath trace =
        given()
            .urlEncodingEnabled(false)
            .get("/api/v1/traces/" + TREE)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(trace.getString("traceId")).isEqualTo(TREE);
    assertThat(trace.getInt("spanCount")).isEqualTo(5);
    assertThat(trace.getList("spans.spanId")).containsExactly(spanId(1), spanId(5));
    assertThat(trace.getList("spans[0].children.spanId")).containsExactly(spanId(3), spanId(2));
    assertThat(trace.getList("spans[0].children[0].children.spanId")).containsExactly(spanId(4));
    assertThat(trace.getList("spans[1].children")).isEmpty();
    assertThat(trace.getString("spans[1].parentSpanId")).isEqualTo(spanId(77));

    Map<String, Object> root = trace.getMap("spans[0]");
    assertThat(root)
        .containsEntry("traceId", TREE)
        .containsEntry("spanId", spanId(1))
        .containsEntry("parentSpanId", "")
        .containsEntry("name", "agent.run")
        .containsEntry("kind", "SERVER")
        .containsEntry("startTimeUnixNano", Long.toString(BASE))
        .containsEntry("endTimeUnixNano", Long.toString(BASE + 10 * SECOND))
        .containsEntry("serviceName", "agent")
        .containsEntry("droppedAttributesCount", 3)
        .containsEntry("scope", Map.of("name", "mastra", "version", "1.2.3"))
        .containsEntry("status", Map.of("code", "OK", "message", ""))
        .containsEntry(
            "resourceAttributes",
            Map.of("service.name", "agent", "deployment.environment", "test"));
    assertThat(trace.getLong("spans[0].durationNanos")).isEqualTo(10 * SECOND);
    assertThat(trace.getMap("spans[0].children[1].status"))
        .isEqualTo(Map.of("code", "ERROR", "message", "it failed"));
    assertThat(trace.getList("spans[0].events"))
        .containsExactly(
            Map.of(
                "name", "retry",
                "timeUnixNano", Long.toString(BASE + 5),
                "attributes", Map.of("attempt", 2)));
    assertThat(trace.getList("spans[0].links"))
        .containsExactly(
            Map.of(
                "traceId", traceId(9, 9),
                "spanId", spanId(99),
                "attributes", Map.of("kind", "follows")));
  }

  @Test
  void attributesAreTypedJsonValues() {
    String body =
        given()
            .urlEncodingEnabled(false)
            .get("/api/v1/traces/" + TREE)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(body)
        .contains("\"str\":\"x\"")
        .contains("\"int\":42")
        .contains("\"big\":9007199254740993")
        .contains("\"dbl\":1.5")
        .contains("\"bool\":true")
        .contains("\"list\":[\"a\",1]")
        .contains("\"map\":{\"k\":\"v\"}");
  }

  @Test
  void upperCaseIdsAreAcceptedAndUnknownTracesAre404() {
    given()
        .urlEncodingEnabled(false)
        .get("/api/v1/traces/" + TREE.toUpperCase())
        .then()
        .statusCode(200);
    JsonPath error =
        given()
            .urlEncodingEnabled(false)
            .get("/api/v1/traces/" + traceId(SLOT, 404))
            .then()
            .statusCode(404)
            .extract()
            .jsonPath();
    assertThat(error.getString("status")).isEqualTo("error");
    assertThat(error.getString("errorType")).isEqualTo("not_found");
    assertThat(error.getString("error")).isEqualTo("trace " + traceId(SLOT, 404) + " not found");
  }

  @Test
  void malformedTraceIdsAre400() {
    for (String bad :
        List.of("abc", TREE + "0", TREE.substring(1), "z" + TREE.substring(1), "%20" + TREE)) {
      String error =
          given()
              .urlEncodingEnabled(false)
              .get("/api/v1/traces/" + bad)
              .then()
              .statusCode(400)
              .extract()
              .jsonPath()
              .getString("error");
      assertThat(error).as(bad).startsWith("trace id must be 32 hex characters");
    }
    given()
        .urlEncodingEnabled(false)
        .get("/api/v1/traces/" + TREE + "?limit=5")
        .then()
        .statusCode(400);
  }

  private List<String> search(String query) {
    return given()
        .urlEncodingEnabled(false)
        .get("/api/v1/traces?" + WINDOW + "&" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("traces.traceId");
  }

  @Test
  void searchByEveryCriterionNewestFirst() {
    assertThat(search("service=agent")).containsExactly(QUICK, TREE);
    assertThat(search("name=llm.call")).containsExactly(TREE);
    assertThat(search("status=error")).containsExactly(FAILED, TREE);
    assertThat(search("status=OK&service=other")).isEmpty();
    assertThat(search("minDuration=4s")).containsExactly(FAILED, TREE);
    assertThat(search("maxDuration=250ms")).containsExactly(QUICK);
    assertThat(search("minDuration=4s&maxDuration=6000ms")).containsExactly(FAILED);
    assertThat(search("attr=model=claude")).containsExactly(FAILED);
    assertThat(search("attr=deployment.environment=test&attr=model=gpt")).containsExactly(QUICK);
    assertThat(search("attr=model=gpt&service=other")).isEmpty();
    assertThat(search("limit=1")).containsExactly(FAILED);
    assertThat(search("name=job")).containsExactly(FAILED);
  }

  @Test
  void searchWithATimeWindowAndTheSummaryFields() {
    List<Map<String, Object>> traces =
        given()
            .urlEncodingEnabled(false)
            .get(
                "/api/v1/traces?start="
                    + Duration.ofNanos(BASE + 100 * SECOND).toSeconds()
                    + "&end=2024-05-03T00:00:00Z")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("traces");
    assertThat(traces)
        .containsExactly(
            Map.of(
                "traceId",
                FAILED,
                "rootServiceName",
                "other",
                "rootSpanName",
                "job",
                "startTimeUnixNano",
                Long.toString(BASE + 120 * SECOND),
                "durationNanos",
                5_000_000_000L,
                "spanCount",
                1,
                "errorCount",
                1));
    Map<String, Object> tree =
        given()
            .urlEncodingEnabled(false)
            .get("/api/v1/traces?" + WINDOW + "&name=tool.call")
            .then()
            .extract()
            .jsonPath()
            .getMap("traces[0]");
    assertThat(tree)
        .containsEntry("traceId", TREE)
        .containsEntry("rootSpanName", "agent.run")
        .containsEntry("startTimeUnixNano", Long.toString(BASE))
        .containsEntry("spanCount", 5)
        .containsEntry("errorCount", 1);
  }

  @Test
  void theDefaultWindowIsTheLastHour() {
    String recent = traceId(SLOT, 100);
    String old = traceId(SLOT, 101);
    Fixtures.writeSpans(
        storage,
        List.of(
            simpleSpan(
                T, recent, spanId(1), "", Fixtures.nowMinus(Duration.ofMinutes(10)), "recent"),
            simpleSpan(T, old, spanId(1), "", Fixtures.nowMinus(Duration.ofHours(2)), "recent")));
    List<String> found =
        given()
            .urlEncodingEnabled(false)
            .get("/api/v1/traces?service=recent")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("traces.traceId");
    assertThat(found).containsExactly(recent);
  }
}
