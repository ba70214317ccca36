package dev.sextant.query.metrics;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metric query API over the store's rollups: every answer checked against what the raw points
 * say, including a counter's increase over two days through 1-hour windows.
 */
@QuarkusTest
public class MetricQueryApiTest {
  private static final String T = Tenants.DEFAULT;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  /** Whole days apart from the other test classes' data (see Fixtures.base), minute aligned. */
  private static final long DAY0 = base(40) - base(40) % HOUR;

  private static final MetricSeries TOKENS_A = series("tokens", MetricType.COUNTER, "model", "a");
  private static final MetricSeries TOKENS_B = series("tokens", MetricType.COUNTER, "model", "b");
  private static final MetricSeries QUEUE_1 = series("queue", MetricType.GAUGE, "pod", "1");
  private static final MetricSeries QUEUE_2 = series("queue", MetricType.GAUGE, "pod", "2");
  private static final MetricSeries LATENCY = series("latency", MetricType.HISTOGRAM, "model", "a");
  private static final MetricSeries EXP = series("exp", MetricType.EXPONENTIAL_HISTOGRAM);

  @Inject StorageComponent storage;

  private static MetricSeries series(String name, MetricType type, String... labels) {
    Temporality temporality = type == MetricType.GAUGE ? Temporality.NONE : Temporality.CUMULATIVE;
    return new MetricSeries(T, name, Labels.of(labels), type, temporality, "1", "");
  }

  /** Counter A: +10 each minute for 5 minutes, reset to 3 at minute 5, then +1 at minute 6. */
  @BeforeEach
  void write() {
    List<MetricWrite> writes = new ArrayList<>();
    double[] a = {0, 10, 20, 30, 40, 3, 4};
    for (int m = 0; m < a.length; m++) {
      long start = m < 5 ? DAY0 - MINUTE : DAY0 + 5 * MINUTE - SECOND;
      writes.add(new MetricWrite(TOKENS_A, new NumberPoint(start, DAY0 + m * MINUTE, a[m])));
      writes.add(new MetricWrite(TOKENS_B, new NumberPoint(DAY0 - MINUTE, DAY0 + m * MINUTE, m)));
      writes.add(new MetricWrite(QUEUE_1, new NumberPoint(0, DAY0 + m * MINUTE, m)));
      writes.add(new MetricWrite(QUEUE_2, new NumberPoint(0, DAY0 + m * MINUTE, 10 * m)));
      writes.add(
          new MetricWrite(
              LATENCY,
              new HistogramPoint(
                  DAY0 - MINUTE,
                  DAY0 + m * MINUTE,
                  4L * m,
                  100.0 * m,
                  Double.NaN,
                  Double.NaN,
                  new double[] {10, 100},
                  new long[] {m, 2L * m, m})));
      long[] positive = {m, 3L * m};
      writes.add(
          new MetricWrite(
              EXP,
              new ExponentialHistogramPoint(
                  DAY0 - MINUTE,
                  DAY0 + m * MINUTE,
                  4L * m,
                  40.0 * m,
                  Double.NaN,
                  Double.NaN,
                  0,
                  0,
                  0,
                  new ExponentialHistogramPoint.Buckets(2, positive),
                  ExponentialHistogramPoint.Buckets.EMPTY)));
    }
    Fixtures.writeMetrics(storage, writes);
  }

  private static String seconds(long nanos) {
    return String.format("%d.%09d", nanos / SECOND, nanos % SECOND);
  }

  private static RequestSpecification over(String metric, long from, long to) {
    return given()
        .queryParam("metric", metric)
        .queryParam("start", seconds(from))
        .queryParam("end", seconds(to));
  }

  private static JsonPath ok(RequestSpecification request, String path) {
    return request
        .get("/api/v1/metrics/" + path)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
  }

  @Test
  void aCountersIncreaseAddsTheSeriesAndReadsAResetAsPrometheusDoes() {
    // A: 10+10+10+10 then reset to 3 (counts 3) then +1 = 44. B: 1 a minute = 6.
    JsonPath total = ok(over("tokens", DAY0, DAY0 + 7 * MINUTE), "aggregate");
    assertThat(total.getString("type")).isEqualTo("COUNTER");
    assertThat(total.getString("aggregation")).isEqualTo("increase");
    assertThat(total.getDouble("value")).isEqualTo(50.0);

    JsonPath byModel =
        ok(over("tokens", DAY0, DAY0 + 7 * MINUTE).queryParam("groupBy", "model"), "breakdown");
    assertThat(byModel.getList("groups.labels.model")).containsExactly("a", "b");
    assertThat(byModel.getList("groups.value", Double.class)).containsExactly(44.0, 6.0);

    JsonPath rate =
        ok(over("tokens", DAY0, DAY0 + 7 * MINUTE).queryParam("aggregation", "rate"), "aggregate");
    assertThat(rate.getDouble("value")).isCloseTo(50.0 / 420, Offset.offset(1e-12));
  }

  @Test
  void timeSeriesBucketsAreEpochAlignedAndLeaveEmptyBucketsOut() {
    JsonPath series =
        ok(
            over("tokens", DAY0, DAY0 + 7 * MINUTE)
                .queryParam("interval", "5m")
                .queryParam("filter", "model=a"),
            "timeseries");

    assertThat(series.getString("interval")).isEqualTo("5m");
    assertThat(series.getList("series")).hasSize(1);
    List<String> times = series.getList("series[0].points.timeUnixNano");
    List<Double> values = series.getList("series[0].points.value", Double.class);
    long firstBucket = DAY0 - Math.floorMod(DAY0, 5 * MINUTE);
    assertThat(times.getFirst()).isEqualTo(Long.toString(firstBucket));
    assertThat(values.stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(44.0);
  }

  @Test
  void gaugesAverageAndAddUpTheirLatestValues() {
    long to = DAY0 + 7 * MINUTE;
    assertThat(ok(over("queue", DAY0, to), "aggregate").getDouble("value"))
        .isEqualTo((21.0 + 210.0) / 14);
    assertThat(
            ok(over("queue", DAY0, to).queryParam("aggregation", "max"), "aggregate")
                .getDouble("value"))
        .isEqualTo(60.0);
    assertThat(
            ok(over("queue", DAY0, to).queryParam("aggregation", "last"), "aggregate")
                .getDouble("value"))
        .isEqualTo(6.0 + 60.0);
  }

  @Test
  void histogramPercentilesEqualHistogramQuantileOverTheBucketIncreases() {
    // Increase over the range: 6 x (1, 2, 1) per minute = (6, 12, 6) observations in
    // (0,10], (10,100], (100,+Inf]: the median (rank 12) lies in (10, 100], 6 of its 12 in:
    // 10 + 90 * 6/12 = 55, as histogram_quantile interpolates.
    JsonPath p =
        ok(
            over("latency", DAY0, DAY0 + 7 * MINUTE)
                .queryParam("interval", "1h")
                .queryParam("percentile", "0.5")
                .queryParam("percentile", "0.25"),
            "percentiles");

    assertThat(p.getList("series.percentile", Double.class)).containsExactly(0.5, 0.25);
    assertThat(p.getDouble("series[0].points[0].value")).isEqualTo(55.0);
    assertThat(p.getDouble("series[1].points[0].value")).isEqualTo(10.0);
    assertThat(
            ok(
                    over("latency", DAY0, DAY0 + 7 * MINUTE).queryParam("aggregation", "avg"),
                    "aggregate")
                .getDouble("value"))
        .isEqualTo(600.0 / 24);
  }

  @Test
  void exponentialHistogramPercentilesUseTheExponentialBoundaries() {
    // Scale 0: bucket 2 is (4, 8], bucket 3 is (8, 16]; increases 6 and 18 of 24.
    JsonPath p =
        ok(
            over("exp", DAY0, DAY0 + 7 * MINUTE)
                .queryParam("interval", "1h")
                .queryParam("percentile", "0.25"),
            "percentiles");
    assertThat(p.getDouble("series[0].points[0].value")).isEqualTo(8.0);
  }

  @Test
  void aCounterIncreaseOverTwoDaysFromHourWindowsEqualsTheRawIncrease() {
    long start = base(41) - base(41) % HOUR;
    MetricSeries counter = series("requests", MetricType.COUNTER, "job", "api");
    List<MetricWrite> writes = new ArrayList<>();
    double value = 0;
    double rawIncrease = 0;
    double previous = Double.NaN;
    long seriesStart = start - MINUTE;
    for (long t = start; t < start + 48 * HOUR; t += 5 * MINUTE) {
      // Grows unevenly; restarts every 10 hours from a small value.
      if ((t - start) % (10 * HOUR) == 0 && t > start) {
        value = 2;
        seriesStart = t - SECOND;
      } else {
        value += (t / MINUTE) % 7;
      }
      if (!Double.isNaN(previous)) {
        rawIncrease += value >= previous && seriesStart != t - SECOND ? value - previous : value;
      }
      previous = value;
      writes.add(new MetricWrite(counter, new NumberPoint(seriesStart, t, value)));
    }
    Fixtures.writeMetrics(storage, writes);

    JsonPath total = ok(over("requests", start, start + 48 * HOUR), "aggregate");

    assertThat(total.getDouble("value")).isEqualTo(rawIncrease);
  }

  @Test
  void whatATypeCannotAnswerIsABadRequest() {
    over("latency", DAY0, DAY0 + MINUTE)
        .queryParam("aggregation", "max")
        .get("/api/v1/metrics/aggregate")
        .then()
        .statusCode(400);
    over("tokens", DAY0, DAY0 + MINUTE)
        .queryParam("interval", "2m")
        .get("/api/v1/metrics/timeseries")
        .then()
        .statusCode(400);
    over("tokens", DAY0, DAY0 + MINUTE)
        .queryParam("percentile", "0.5")
        .get("/api/v1/metrics/percentiles")
        .then()
        .statusCode(400);
    over("tokens", DAY0, DAY0 + 7 * MINUTE)
        .queryParam("interval", "1h")
        .queryParam("percentile", "0.5")
        .get("/api/v1/metrics/percentiles")
        .then()
        .statusCode(400);
    over("tokens", DAY0, DAY0 + MINUTE)
        .queryParam("groupBy", "model")
        .get("/api/v1/metrics/aggregate")
        .then()
        .statusCode(400);
    given().get("/api/v1/metrics/aggregate").then().statusCode(400);
  }

  @Test
  void anUnknownMetricHasNoValue() {
    JsonPath none = ok(over("nothing", DAY0, DAY0 + MINUTE), "aggregate");
    assertThat(none.getString("value")).isNull();
    assertThat(none.getString("type")).isNull();
  }
}
