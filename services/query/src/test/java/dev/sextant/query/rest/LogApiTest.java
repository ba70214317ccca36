package dev.sextant.query.rest;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.log;
import static dev.sextant.query.Fixtures.spanId;
import static dev.sextant.query.Fixtures.traceId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LogApiTest {
  private static final int SLOT = 3;
  private static final String T = Tenants.DEFAULT;
  private static final long BASE = base(SLOT);
  private static final String TRACE = traceId(SLOT, 1);
  private static final String WINDOW =
      "start=" + (BASE / SECOND - 1) + "&end=" + (BASE / SECOND + 3600);

  @Inject StorageComponent storage;

  /** Log records have no identity, so writing them again would store them twice. */
  private static boolean written;

  @BeforeEach
  void writeLogsOnce() {
    if (written) {
      return;
    }
    written = true;
    Fixtures.writeLogs(
        storage,
        List.of(
            log(T, BASE, 5, "cache warm", "api", "", Map.of("tool", "none")),
            log(T, BASE + SECOND, 9, "request served", "api", TRACE, Map.of("tool", "search")),
            log(T, BASE + 2 * SECOND, 13, "tool budget at 95%", "agent", TRACE, Map.of()),
            log(T, BASE + 3 * SECOND, 18, "tool timeout", "agent", "", Map.of("tool", "search")),
            new dev.sextant.model.LogRecord(
                T,
                BASE + 4 * SECOND,
                BASE + 4 * SECOND + 7,
                21,
                "FATAL",
                Map.of("event", "crash", "code", 137L),
                "agent",
                "runtime",
                "",
                "",
                Map.of("service.name", "agent"),
                Map.of(),
                0)));
  }

  private List<String> bodies(String query) {
    return given()
        .urlEncodingEnabled(false)
        .get("/api/v1/logs?" + WINDOW + "&" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("logs.body")
        .stream()
        .map(body -> body instanceof String text ? text : "structured")
        .toList();
  }

  @Test
  void searchByEveryCriterionNewestFirst() {
    assertThat(bodies("severity=warn"))
        .containsExactly("structured", "tool timeout", "tool budget at 95%");
    assertThat(bodies("severity=18&service=agent")).containsExactly("structured", "tool timeout");
    assertThat(bodies("severity=FATAL")).containsExactly("structured");
    assertThat(bodies("traceId=" + TRACE.toUpperCase()))
        .containsExactly("tool budget at 95%", "request served");
    assertThat(bodies("service=api")).containsExactly("request served", "cache warm");
    assertThat(bodies("attr=tool=search")).containsExactly("tool timeout", "request served");
    assertThat(bodies("attr=service.name=api&contains=served")).containsExactly("request served");
    assertThat(bodies("contains=tool")).containsExactly("tool timeout", "tool budget at 95%");
    assertThat(bodies("contains=TOOL")).isEmpty();
    assertThat(bodies("contains=" + "95%25")).containsExactly("tool budget at 95%");
    assertThat(bodies("limit=2")).containsExactly("structured", "tool timeout");
    assertThat(
            given()
                .get("/api/v1/logs?start=" + (BASE / SECOND) + "&end=" + (BASE / SECOND) + ".5")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("logs.body"))
        .containsExactly("cache warm");
  }

  @Test
  void everyFieldWithTimesAsStrings() {
    Map<String, Object> record =
        given()
            .urlEncodingEnabled(false)
            .get("/api/v1/logs?" + WINDOW + "&contains=served")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getMap("logs[0]");
    assertThat(record)
        .isEqualTo(
            Map.ofEntries(
                Map.entry("timeUnixNano", Long.toString(BASE + SECOND)),
                Map.entry("observedTimeUnixNano", Long.toString(BASE + SECOND + 7)),
                Map.entry("severityNumber", 9),
                Map.entry("severityText", "SEV9"),
                Map.entry("body", "request served"),
                Map.entry("serviceName", "api"),
                Map.entry("scopeName", "logger"),
                Map.entry("traceId", TRACE),
                Map.entry("spanId", spanId(1)),
                Map.entry("resourceAttributes", Map.of("service.name", "api")),
                Map.entry("attributes", Map.of("tool", "search")),
                Map.entry("droppedAttributesCount", 1)));
  }

  @Test
  void structuredBodiesStayStructured() {
    Object body =
        given()
            .urlEncodingEnabled(false)
            .get("/api/v1/logs?" + WINDOW + "&severity=21")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .get("logs[0].body");
    assertThat(body).isEqualTo(Map.of("event", "crash", "code", 137));
  }

  @Test
  void theDefaultWindowIsTheLastHourAndTheDefaultLimitIs100() {
    long recent = Fixtures.nowMinus(Duration.ofMinutes(5));
    List<dev.sextant.model.LogRecord> many = new java.util.ArrayList<>();
    for (int i = 0; i < 120; i++) {
      many.add(log(T, recent + i, 9, "recent " + i, "log-defaults", "", Map.of()));
    }
    many.add(
        log(T, Fixtures.nowMinus(Duration.ofHours(3)), 9, "old", "log-defaults", "", Map.of()));
    Fixtures.writeLogs(storage, many);
    List<String> found =
        given()
            .urlEncodingEnabled(false)
            .get("/api/v1/logs?service=log-defaults")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("logs.body");
    assertThat(found).hasSize(100).startsWith("recent 119").doesNotContain("old");
  }
}
