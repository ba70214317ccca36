package dev.sextant.query.sqlite;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.histogram;
import static dev.sextant.query.Fixtures.log;
import static dev.sextant.query.Fixtures.number;
import static dev.sextant.query.Fixtures.simpleSpan;
import static dev.sextant.query.Fixtures.span;
import static dev.sextant.query.Fixtures.spanId;
import static dev.sextant.query.Fixtures.traceId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.StatusCode;
import dev.sextant.model.Temporality;
import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same reads over the embedded default backend, SQLite, where types, ordering and unsigned ids
 * go through SQL: what a local user actually runs.
 */
@QuarkusTest
@TestProfile(SqliteProfile.class)
public class SqliteBackedReadTest {
  private static final int SLOT = 13;
  private static final String T = Tenants.DEFAULT;
  private static final long BASE = base(SLOT);
  private static final String TRACE = traceId(SLOT, 1);
  private static final String START = Long.toString(BASE / SECOND - 1);
  private static final String END = Long.toString(BASE / SECOND + 3600);
  private static final MetricSeries COUNTER =
      Fixtures.withNegativeId(T, "sqlite_requests_total", "job", "a");
  private static final MetricSeries LATENCY =
      Fixtures.series(T, "sqlite.latency", MetricType.HISTOGRAM, Temporality.DELTA, "job", "a");

  /** Logs have no identity, so they are written once per store (a subclass runs on another). */
  private static StorageComponent logsWrittenTo;

  @Inject StorageComponent storage;

  @BeforeEach
  void write() {
    Fixtures.writeSpans(
        storage,
        List.of(
            span(
                T,
                TRACE,
                spanId(1),
                "",
                "root",
                "sqlite-agent",
                BASE,
                10 * SECOND,
                StatusCode.OK,
                Map.of("int", 42L, "list", List.of("a", 1L), "map", Map.of("k", true))),
            simpleSpan(T, TRACE, spanId(2), spanId(1), BASE + 2 * SECOND, "sqlite-agent"),
            simpleSpan(T, TRACE, spanId(3), spanId(1), BASE + SECOND, "sqlite-agent"),
            simpleSpan(T, TRACE, spanId(4), spanId(42), BASE + 5, "sqlite-agent")));
    if (logsWrittenTo != storage) {
      logsWrittenTo = storage;
      Fixtures.writeLogs(
          storage,
          List.of(
              log(T, BASE, 13, "sqlite warn", "sqlite-agent", TRACE, Map.of("k", "v")),
              log(T, BASE + 1, 5, "sqlite debug", "sqlite-agent", "", Map.of())));
    }
    Fixtures.writeMetrics(
        storage,
        List.of(
            number(COUNTER, BASE, 1),
            number(COUNTER, BASE + SECOND, 2),
            histogram(LATENCY, BASE, Double.NaN, 9)));
  }

  @Test
  void traceTreeAndSearch() {
    JsonPath trace =
        given().get("/api/v1/traces/" + TRACE).then().statusCode(200).extract().jsonPath();
    assertThat(trace.getList("spans.spanId")).containsExactly(spanId(1), spanId(4));
    assertThat(trace.getList("spans[0].children.spanId")).containsExactly(spanId(3), spanId(2));
    assertThat(trace.getMap("spans[0].attributes"))
        .isEqualTo(Map.of("int", 42, "list", List.of("a", 1), "map", Map.of("k", true)));
    assertThat(trace.getString("spans[0].startTimeUnixNano")).isEqualTo(Long.toString(BASE));
    assertThat(
            given()
                .queryParam("start", START)
                .queryParam("end", END)
                .queryParam("service", "sqlite-agent")
                .queryParam("minDuration", "5s")
                .get("/api/v1/traces")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("traces.spanCount"))
        .containsExactly(4);
  }

  @Test
  void logs() {
    assertThat(
            given()
                .queryParam("start", START)
                .queryParam("end", END)
                .queryParam("severity", "warn")
                .queryParam("traceId", TRACE)
                .get("/api/v1/logs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("logs.body"))
        .containsExactly("sqlite warn");
  }

  @Test
  void seriesWithAnUnsignedIdAndItsPoints() {
    String id = Long.toUnsignedString(COUNTER.id());
    assertThat(
            given()
                .queryParam("start", START)
                .queryParam("end", END)
                .queryParam("match", "{__name__=~\"sqlite.*\", job=\"a\"}")
                .get("/api/v1/metrics/series")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("series.id"))
        .containsExactlyInAnyOrder(id, Long.toUnsignedString(LATENCY.id()));
    assertThat(
            given()
                .queryParam("start", START)
                .queryParam("end", END)
                .queryParam("series", id)
                .get("/api/v1/metrics/points")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("points.value"))
        .containsExactly(1.0f, 2.0f);
    assertThat(
            given()
                .queryParam("start", START)
                .queryParam("end", END)
                .queryParam("series", Long.toUnsignedString(LATENCY.id()))
                .get("/api/v1/metrics/points")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("points[0].histogram"))
        .containsEntry("min", null)
        .containsEntry("max", 9.0f)
        .containsEntry("bucketCounts", List.of(1, 2, 1));
  }
}
