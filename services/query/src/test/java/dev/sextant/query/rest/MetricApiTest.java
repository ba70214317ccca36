package dev.sextant.query.rest;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.histogram;
import static dev.sextant.query.Fixtures.number;
import static dev.sextant.query.Fixtures.series;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MetricApiTest {
  private static final int SLOT = 5;
  private static final int CARDINALITY_SLOT = 31;
  private static final String T = Tenants.DEFAULT;
  private static final long BASE = base(SLOT);

  /** A series whose 64-bit id is negative as a signed long, to check the unsigned form. */
  static final MetricSeries API = Fixtures.withNegativeId(T, "requests_total", "job", "api");

  static final MetricSeries WEB =
      series(T, "requests_total", MetricType.COUNTER, Temporality.CUMULATIVE, "job", "web");
  static final MetricSeries QUEUE =
      series(T, "e2e.queue.depth", MetricType.GAUGE, Temporality.NONE, "agent", "planner");
  static final MetricSeries LATENCY =
      series(T, "latency", MetricType.HISTOGRAM, Temporality.DELTA, "agent", "planner");

  @Inject StorageComponent storage;

  @BeforeEach
  void writeMetrics() {
    Fixtures.writeMetrics(
        storage,
        List.of(
            number(API, BASE, 1),
            number(API, BASE + 10 * SECOND, 2.5),
            number(API, BASE + 20 * SECOND, 4),
            number(WEB, BASE + 10 * SECOND, 7),
            number(QUEUE, BASE + 5 * SECOND, 7.5),
            histogram(LATENCY, BASE + 10 * SECOND, Double.NaN, Double.NaN),
            histogram(LATENCY, BASE + 20 * SECOND, 3, 900)));
  }

  private static String seconds(long nanos) {
    return String.format("%d.%09d", nanos / SECOND, nanos % SECOND);
  }

  private static RequestSpecification inWindow() {
    return given()
        .queryParam("start", seconds(BASE - SECOND))
        .queryParam("end", seconds(BASE + 3600 * SECOND));
  }

  @Test
  void cardinalityNamesTheMetricsAndLabelsWithMostSeriesAndOverflowingMetrics() {
    // A day of its own, so the other tests' series stay out of the window.
    long day = base(CARDINALITY_SLOT);
    Fixtures.writeMetrics(
        storage,
        List.of(
            number(
                series(
                    T,
                    "tokens",
                    MetricType.COUNTER,
                    Temporality.CUMULATIVE,
                    "model",
                    "a",
                    "env",
                    "x"),
                day,
                1),
            number(
                series(
                    T,
                    "tokens",
                    MetricType.COUNTER,
                    Temporality.CUMULATIVE,
                    "model",
                    "b",
                    "env",
                    "x"),
                day,
                1),
            number(
                series(
                    T,
                    "tokens",
                    MetricType.COUNTER,
                    Temporality.CUMULATIVE,
                    "otel_metric_overflow",
                    "true"),
                day,
                1),
            number(series(T, "queue", MetricType.GAUGE, Temporality.NONE, "env", "y"), day, 1)));

    var answer =
        given()
            .queryParam("start", seconds(day - SECOND))
            .queryParam("end", seconds(day + SECOND))
            .queryParam("limit", 2)
            .get("/api/v1/metrics/cardinality")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(answer.getInt("series")).isEqualTo(4);
    assertThat(answer.getList("metrics.name")).containsExactly("tokens", "queue");
    assertThat(answer.getList("metrics.series", Integer.class)).containsExactly(3, 1);
    assertThat(answer.getList("labels.name")).containsExactly("env", "model");
    assertThat(answer.getList("labels.series", Integer.class)).containsExactly(3, 2);
    assertThat(answer.getList("labels.values", Integer.class)).containsExactly(2, 2);
    assertThat(answer.getList("overflowing")).containsExactly("tokens");
    given().queryParam("limit", 1001).get("/api/v1/metrics/cardinality").then().statusCode(400);
  }

  @Test
  void metricNamesWithPointsInTheWindow() {
    assertThat(
            inWindow()
                .get("/api/v1/metrics/names")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("names"))
        .containsExactly("e2e.queue.depth", "latency", "requests_total");
    assertThat(
            given()
                .queryParam("start", seconds(BASE + 15 * SECOND))
                .queryParam("end", seconds(BASE + 16 * SECOND))
                .get("/api/v1/metrics/names")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("names"))
        .isEmpty();
  }

  private List<Map<String, Object>> seriesMatching(String selector) {
    return inWindow()
        .queryParam("match", selector)
        .get("/api/v1/metrics/series")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("series");
  }

  private static List<String> ids(List<Map<String, Object>> series) {
    return series.stream().map(s -> (String) s.get("id")).toList();
  }

  @Test
  void seriesBySelectorWithEveryField() {
    assertThat(seriesMatching("requests_total{job=\"api\"}"))
        .containsExactly(
            Map.of(
                "id", Long.toUnsignedString(API.id()),
                "name", "requests_total",
                "labels", Map.of("job", "api", "instance", API.labels().get("instance")),
                "type", "COUNTER",
                "temporality", "CUMULATIVE",
                "unit", "ms",
                "description", "about it"));
    assertThat(Long.toUnsignedString(API.id())).matches("[0-9]+");
  }

  @Test
  void everySelectorForm() {
    String api = Long.toUnsignedString(API.id());
    String web = Long.toUnsignedString(WEB.id());
    assertThat(ids(seriesMatching("requests_total"))).containsExactlyInAnyOrder(api, web);
    assertThat(ids(seriesMatching("{__name__=~\"req.*\", job!=\"api\"}"))).containsExactly(web);
    assertThat(ids(seriesMatching("requests_total{job!~\"a.*\"}"))).containsExactly(web);
    assertThat(ids(seriesMatching("{job=~\"api|web\"}"))).containsExactlyInAnyOrder(api, web);
    assertThat(ids(seriesMatching("{\"e2e.queue.depth\"}")))
        .containsExactly(Long.toUnsignedString(QUEUE.id()));
    assertThat(ids(seriesMatching("{agent=\"planner\", __name__!=\"latency\"}")))
        .containsExactly(Long.toUnsignedString(QUEUE.id()));
    assertThat(seriesMatching("nothing_like_this")).isEmpty();
  }

  private List<Map<String, Object>> points(MetricSeries s, String start, String end) {
    return given()
        .queryParam("series", Long.toUnsignedString(s.id()))
        .queryParam("start", start)
        .queryParam("end", end)
        .get("/api/v1/metrics/points")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("points");
  }

  @Test
  void numberPointsOldestFirstWithAnInclusiveEnd() {
    assertThat(points(API, seconds(BASE), seconds(BASE + 10 * SECOND)))
        .containsExactly(
            Map.of(
                "startTimeUnixNano", Long.toString(BASE - SECOND),
                "timeUnixNano", Long.toString(BASE),
                "value", 1.0f),
            Map.of(
                "startTimeUnixNano", Long.toString(BASE + 9 * SECOND),
                "timeUnixNano", Long.toString(BASE + 10 * SECOND),
                "value", 2.5f));
    assertThat(points(API, seconds(BASE + 1), seconds(BASE + 3600 * SECOND)))
        .extracting(p -> p.get("timeUnixNano"))
        .containsExactly(Long.toString(BASE + 10 * SECOND), Long.toString(BASE + 20 * SECOND));
  }

  @Test
  void histogramPointsWithUnknownMinAndMaxAsNull() {
    String body =
        given()
            .queryParam("series", Long.toUnsignedString(LATENCY.id()))
            .queryParam("start", seconds(BASE))
            .queryParam("end", seconds(BASE + 3600 * SECOND))
            .get("/api/v1/metrics/points")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(body)
        .isEqualTo(
            "{\"points\":["
                + "{\"startTimeUnixNano\":\""
                + (BASE)
                + "\",\"timeUnixNano\":\""
                + (BASE + 10 * SECOND)
                + "\",\"histogram\":{\"count\":4,\"sum\":983.0,\"min\":null,\"max\":null,"
                + "\"bounds\":[10.0,100.0],\"bucketCounts\":[1,2,1]}},"
                + "{\"startTimeUnixNano\":\""
                + (BASE + 10 * SECOND)
                + "\",\"timeUnixNano\":\""
                + (BASE + 20 * SECOND)
                + "\",\"histogram\":{\"count\":4,\"sum\":983.0,\"min\":3.0,\"max\":900.0,"
                + "\"bounds\":[10.0,100.0],\"bucketCounts\":[1,2,1]}}]}");
  }

  @Test
  void nonFiniteValuesAreStrings() {
    MetricSeries odd = series(T, "odd_gauge", MetricType.GAUGE, Temporality.NONE, "k", "v");
    long later = BASE + 7200 * SECOND; // outside the window the other tests list
    Fixtures.writeMetrics(
        storage,
        List.of(
            number(odd, later, Double.NaN),
            number(odd, later + SECOND, Double.POSITIVE_INFINITY),
            number(odd, later + 2 * SECOND, Double.NEGATIVE_INFINITY)));
    String body =
        given()
            .queryParam("series", Long.toUnsignedString(odd.id()))
            .queryParam("start", seconds(later))
            .queryParam("end", seconds(later + 2 * SECOND))
            .get("/api/v1/metrics/points")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(body)
        .contains("\"value\":\"NaN\"")
        .contains("\"value\":\"Infinity\"")
        .contains("\"value\":\"-Infinity\"");
  }

  @Test
  void anUnknownSeriesHasNoPoints() {
    assertThat(
            given()
                .queryParam("series", "18446744073709551615")
                .get("/api/v1/metrics/points")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("points"))
        .isEmpty();
  }
}
