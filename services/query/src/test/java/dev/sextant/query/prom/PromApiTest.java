package dev.sextant.query.prom;

import static dev.sextant.query.Fixtures.SECOND;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.model.Temporality;
import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus HTTP API over the store: Prometheus's JSON shapes and errors, the OTLP name
 * translation for answers and matchers, histograms, exponential histograms and summaries as classic
 * float series, and remote-written (untyped) series left as they are.
 */
@QuarkusTest
class PromApiTest {
  private static final String T = Tenants.DEFAULT;

  /** Whole seconds in 2024, away from the other test classes' base times. */
  private static final long BASE = 1_714_564_800L * SECOND + 40 * 86_400L * SECOND;

  private static final long BASE_S = BASE / SECOND;

  static final MetricSeries TOKENS =
      new MetricSeries(
          T,
          "gen_ai.client.token.usage",
          Labels.of(
              "gen_ai.token.type", "input", "service.name", "agent", "service.instance.id", "i-1"),
          MetricType.COUNTER,
          Temporality.CUMULATIVE,
          "{token}",
          "Tokens used");
  static final MetricSeries MEMORY =
      new MetricSeries(
          T,
          "process.memory.usage",
          Labels.of("service.name", "agent"),
          MetricType.GAUGE,
          Temporality.NONE,
          "By",
          "Memory in use");
  static final MetricSeries LATENCY =
      new MetricSeries(
          T,
          "http.server.request.duration",
          Labels.of("http.route", "/chat"),
          MetricType.HISTOGRAM,
          Temporality.CUMULATIVE,
          "s",
          "Request duration");
  static final MetricSeries EXP =
      new MetricSeries(
          T,
          "llm.latency",
          Labels.of(),
          MetricType.EXPONENTIAL_HISTOGRAM,
          Temporality.CUMULATIVE,
          "ms",
          "");
  static final MetricSeries RPC =
      new MetricSeries(
          T, "rpc.duration", Labels.of(), MetricType.SUMMARY, Temporality.NONE, "s", "");
  static final MetricSeries UP =
      new MetricSeries(
          T,
          "up",
          Labels.of("job", "node", "instance", "a:9100"),
          MetricType.UNKNOWN,
          Temporality.NONE,
          "",
          "");
  static final MetricSeries UP_B =
      new MetricSeries(
          T,
          "up",
          Labels.of("job", "node", "instance", "b:9100"),
          MetricType.UNKNOWN,
          Temporality.NONE,
          "",
          "");

  @Inject StorageComponent storage;
  @Inject MeterRegistry meters;

  @BeforeEach
  void write() {
    List<MetricWrite> writes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t = BASE + i * 15 * SECOND;
      writes.add(new MetricWrite(TOKENS, new NumberPoint(BASE, t, 100 * (i + 1))));
      writes.add(new MetricWrite(MEMORY, new NumberPoint(0, t, 1e9)));
      writes.add(new MetricWrite(UP, new NumberPoint(0, t, 1)));
      writes.add(new MetricWrite(UP_B, new NumberPoint(0, t, 0)));
      writes.add(
          new MetricWrite(
              LATENCY,
              new HistogramPoint(
                  BASE,
                  t,
                  4L * (i + 1),
                  2.5 * (i + 1),
                  Double.NaN,
                  Double.NaN,
                  new double[] {0.1, 1},
                  new long[] {i + 1, 2L * (i + 1), i + 1})));
      writes.add(
          new MetricWrite(
              EXP,
              new ExponentialHistogramPoint(
                  BASE,
                  t,
                  7,
                  30,
                  Double.NaN,
                  Double.NaN,
                  0,
                  1,
                  0,
                  new ExponentialHistogramPoint.Buckets(1, new long[] {2, 4}),
                  ExponentialHistogramPoint.Buckets.EMPTY)));
      writes.add(
          new MetricWrite(
              RPC,
              new SummaryPoint(
                  BASE,
                  t,
                  10,
                  5,
                  List.of(
                      new SummaryPoint.Quantile(0.5, 0.2), new SummaryPoint.Quantile(0.99, 1.5)))));
    }
    Fixtures.writeMetrics(storage, writes);
  }

  private static JsonPath instant(String query, long timeS) {
    return given()
        .formParam("query", query)
        .formParam("time", timeS)
        .post("/api/v1/query")
        .then()
        .statusCode(200)
        .contentType("application/json")
        .extract()
        .jsonPath();
  }

  @Test
  void instantVectorShapeAndTranslatedNames() {
    double onEventLoop = answeredOnEventLoop();
    JsonPath answer = instant("gen_ai_client_token_usage_total", BASE_S + 60);
    // The in-memory store answers on subscription: a query this small never leaves the event loop.
    assertThat(answeredOnEventLoop()).isEqualTo(onEventLoop + 1);
    assertThat(answer.getString("status")).isEqualTo("success");
    assertThat(answer.getString("data.resultType")).isEqualTo("vector");
    assertThat(answer.getList("data.result")).hasSize(1);
    assertThat(answer.getMap("data.result[0].metric"))
        .isEqualTo(
            Map.of(
                "__name__", "gen_ai_client_token_usage_total",
                "gen_ai_token_type", "input",
                "job", "agent",
                "instance", "i-1"));
    assertThat(answer.getList("data.result[0].value")).containsExactly((int) (BASE_S + 60), "500");
  }

  private double answeredOnEventLoop() {
    return meters.counter("sextant.promql.event.loop.tries", "outcome", "answered").count();
  }

  @Test
  void gaugeUnitSuffixAndGetWithScalarAndString() {
    given()
        .queryParam("query", "process_memory_usage_bytes")
        .queryParam("time", BASE_S + 30.5)
        .get("/api/v1/query")
        .then()
        .statusCode(200)
        .body("data.result[0].value[1]", equalTo("1000000000"))
        .body("data.result[0].metric.job", equalTo("agent"));
    given()
        .queryParam("query", "1e-7")
        .queryParam("time", "2024-05-01T00:00:00.5Z")
        .get("/api/v1/query")
        .then()
        .statusCode(200)
        .body("data.resultType", equalTo("scalar"))
        .body("data.result[1]", equalTo("1e-07"));
    given()
        .queryParam("query", "\"hi\"")
        .get("/api/v1/query")
        .then()
        .statusCode(200)
        .body("data.resultType", equalTo("string"))
        .body("data.result[1]", equalTo("hi"));
  }

  @Test
  void rangeQueryMatrixWithStepInSecondsOrDuration() {
    for (String step : List.of("15", "15s")) {
      JsonPath answer =
          given()
              .formParam("query", "sum(up)")
              .formParam("start", BASE_S)
              .formParam("end", BASE_S + 60)
              .formParam("step", step)
              .post("/api/v1/query_range")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(answer.getString("data.resultType")).isEqualTo("matrix");
      assertThat(answer.getList("data.result[0].values")).hasSize(5);
      assertThat(answer.getList("data.result[0].values[0]")).containsExactly((int) BASE_S, "1");
    }
  }

  @Test
  void histogramsAsClassicBuckets() {
    JsonPath buckets = instant("http_server_request_duration_seconds_bucket", BASE_S + 60);
    assertThat(buckets.getList("data.result.metric.le", String.class))
        .containsExactlyInAnyOrder("0.1", "1", "+Inf");
    assertThat(
            instant(
                    "http_server_request_duration_seconds_bucket{le=\"1\",http_route=\"/chat\"}",
                    BASE_S + 60)
                .getString("data.result[0].value[1]"))
        .isEqualTo("15");
    assertThat(
            instant("http_server_request_duration_seconds_count", BASE_S + 60)
                .getString("data.result[0].value[1]"))
        .isEqualTo("20");
    assertThat(
            instant("http_server_request_duration_seconds_sum", BASE_S + 60)
                .getString("data.result[0].value[1]"))
        .isEqualTo("12.5");
    String quantile =
        instant(
                "histogram_quantile(0.5, rate(http_server_request_duration_seconds_bucket[1m]))",
                BASE_S + 60)
            .getString("data.result[0].value[1]");
    assertThat(Double.parseDouble(quantile)).isBetween(0.1, 1.0);
  }

  @Test
  void exponentialHistogramsAsClassicBucketsAtTheirBoundaries() {
    JsonPath buckets = instant("llm_latency_milliseconds_bucket", BASE_S + 60);
    // Scale 0: base 2. Zero bucket (threshold 0) holds 1, (2,4] holds 2, (4,8] holds 4.
    Map<String, String> byLe = new java.util.TreeMap<>();
    for (int i = 0; i < buckets.getList("data.result").size(); i++) {
      byLe.put(
          buckets.getString("data.result[" + i + "].metric.le"),
          buckets.getString("data.result[" + i + "].value[1]"));
    }
    assertThat(byLe)
        .containsExactlyInAnyOrderEntriesOf(Map.of("0", "1", "4", "3", "8", "7", "+Inf", "7"));
  }

  @Test
  void summariesAsQuantileSeries() {
    JsonPath answer = instant("rpc_duration_seconds", BASE_S + 60);
    assertThat(answer.getList("data.result.metric.quantile", String.class))
        .containsExactlyInAnyOrder("0.5", "0.99");
    assertThat(
            instant("rpc_duration_seconds_count", BASE_S + 60).getString("data.result[0].value[1]"))
        .isEqualTo("10");
  }

  @Test
  void remoteWrittenSeriesKeepTheirNamesAndLabels() {
    JsonPath answer = instant("up{instance=\"b:9100\"}", BASE_S + 60);
    assertThat(answer.getMap("data.result[0].metric"))
        .isEqualTo(Map.of("__name__", "up", "job", "node", "instance", "b:9100"));
  }

  @Test
  void seriesLabelsAndLabelValues() {
    JsonPath series =
        given()
            .formParam("match[]", "up")
            .formParam("match[]", "{__name__=~\"rpc_duration_seconds.*\"}")
            .formParam("start", BASE_S)
            .formParam("end", BASE_S + 60)
            .post("/api/v1/series")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(series.getList("data.__name__", String.class))
        .containsExactly(
            "rpc_duration_seconds",
            "rpc_duration_seconds",
            "rpc_duration_seconds_count",
            "rpc_duration_seconds_sum",
            "up",
            "up");
    given()
        .queryParam("match[]", "gen_ai_client_token_usage_total")
        .get("/api/v1/labels")
        .then()
        .statusCode(200)
        .body("data", equalTo(List.of("__name__", "gen_ai_token_type", "instance", "job")));
    JsonPath names =
        given().get("/api/v1/label/__name__/values").then().statusCode(200).extract().jsonPath();
    assertThat(names.getList("data", String.class))
        .contains(
            "gen_ai_client_token_usage_total",
            "http_server_request_duration_seconds_bucket",
            "process_memory_usage_bytes",
            "up");
    given()
        .get("/api/v1/label/a.b/values")
        .then()
        .statusCode(400)
        .body("errorType", equalTo("bad_data"))
        .body("error", equalTo("invalid label name: \"a.b\""));
  }

  @Test
  void metadataByPrometheusName() {
    given()
        .queryParam("metric", "gen_ai_client_token_usage_total")
        .get("/api/v1/metadata")
        .then()
        .statusCode(200)
        .body("data.gen_ai_client_token_usage_total[0].type", equalTo("counter"))
        .body("data.gen_ai_client_token_usage_total[0].help", equalTo("Tokens used"));
    given()
        .get("/api/v1/metadata")
        .then()
        .statusCode(200)
        .body("data.http_server_request_duration_seconds[0].type", equalTo("histogram"))
        .body("data.http_server_request_duration_seconds[0].unit", equalTo("seconds"))
        .body("data.up", equalTo(null));
  }

  @Test
  void errorsAsPrometheus() {
    given()
        .formParam("query", "sum(")
        .post("/api/v1/query")
        .then()
        .statusCode(400)
        .body("status", equalTo("error"))
        .body("errorType", equalTo("bad_data"));
    given()
        .formParam("query", "up")
        .formParam("start", BASE_S + 10)
        .formParam("end", BASE_S)
        .formParam("step", "15s")
        .post("/api/v1/query_range")
        .then()
        .statusCode(400)
        .body(
            "error",
            equalTo("invalid parameter \"end\": end timestamp must not be before start time"));
    given()
        .formParam("query", "up")
        .formParam("start", BASE_S)
        .formParam("end", BASE_S + 100_000)
        .formParam("step", "1")
        .post("/api/v1/query_range")
        .then()
        .statusCode(400)
        .body("error", org.hamcrest.Matchers.startsWith("exceeded maximum resolution"));
    given()
        .formParam("query", "up")
        .formParam("time", "yesterday")
        .post("/api/v1/query")
        .then()
        .statusCode(400)
        .body(
            "error",
            equalTo(
                "invalid parameter \"time\": Invalid time value for 'time': cannot parse"
                    + " \"yesterday\" to a valid timestamp"));
    // Two series on each side with the same labels once the name is gone: many-to-many.
    given()
        .formParam("query", "up + on(job) up")
        .formParam("time", BASE_S + 30)
        .post("/api/v1/query")
        .then()
        .statusCode(422)
        .body("errorType", equalTo("execution"));
    given()
        .get("/api/v1/series")
        .then()
        .statusCode(400)
        .body("error", equalTo("no match[] parameter provided"));
  }

  @Test
  void statusEndpointsForClientsConnecting() {
    given()
        .get("/api/v1/status/buildinfo")
        .then()
        .statusCode(200)
        .body("data.version", equalTo("2.42.0"));
    given().get("/api/v1/status/runtimeinfo").then().statusCode(200);
    given().get("/api/v1/query_exemplars").then().statusCode(200).body("data", equalTo(List.of()));
  }
}
