package dev.sextant.aggregator;

import static dev.sextant.aggregator.Points.SECOND;
import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.batch;
import static dev.sextant.aggregator.Points.counter;
import static dev.sextant.aggregator.Points.gauge;
import static dev.sextant.aggregator.Points.histogram;
import static dev.sextant.aggregator.Points.labels;
import static dev.sextant.aggregator.Points.number;
import static dev.sextant.aggregator.Points.reference;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.model.Tenants;
import dev.sextant.protocol.metrics.v1.ExponentialHistogram;
import dev.sextant.protocol.metrics.v1.Summary;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.Histogram;
import dev.sextant.protocol.pipeline.v1.MetricPipeline;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pipeline end to end with authentication off: every batch acts for tenant "default". */
@QuarkusTest
class MetricPipelineTest {
  private static final String TENANT = Tenants.DEFAULT;

  @GrpcClient("pipeline")
  MetricPipeline client;

  @Inject StorageComponent storage;
  @Inject MeterRegistry registry;

  @Test
  void streamOpensWithTheConfiguredCredit() {
    PipelineCall call = PipelineCall.open(client, 8);
    assertThat(call.acks()).isEmpty();
    call.complete();
    call.awaitCompletion();
  }

  @Test
  void storesSumsGaugesAndHistogramsWithOneSeriesPerLabelSet() {
    PipelineCall call = PipelineCall.open(client, 8);
    Ack first =
        call.write(
            batch(
                1,
                TENANT,
                labels(
                    counter("http_requests_total", 5, T0 + SECOND), "method", "GET", "route", "/a"),
                labels(
                    number(
                        MetricType.METRIC_TYPE_UP_DOWN_COUNTER,
                        Temporality.TEMPORALITY_CUMULATIVE,
                        "queue_depth",
                        -3,
                        T0 + SECOND),
                    "queue",
                    "jobs"),
                // A gauge sent with a temporality has none once stored.
                labels(gauge("temperature_celsius", 21.5, T0 + SECOND), "room", "lab")
                    .setTemporality(Temporality.TEMPORALITY_CUMULATIVE),
                labels(
                    histogram(
                        "request_seconds",
                        T0 + SECOND,
                        List.of(0.1, 1.0),
                        List.of(1L, 2L, 3L),
                        4.2),
                    "route",
                    "/a")));
    // The same counter series, labels in the other order.
    Ack second =
        call.write(
            batch(
                2,
                TENANT,
                labels(
                    counter("http_requests_total", 7, T0 + 2 * SECOND),
                    "route",
                    "/a",
                    "method",
                    "GET")));
    call.complete();
    call.awaitCompletion();

    assertThat(first)
        .isEqualTo(
            Ack.newBuilder().setBatchId(1).setStatus(AckStatus.ACK_STATUS_COMMITTED).build());
    assertThat(second)
        .isEqualTo(
            Ack.newBuilder().setBatchId(2).setStatus(AckStatus.ACK_STATUS_COMMITTED).build());

    MetricSeries requests = onlySeries("http_requests_total");
    assertThat(requests)
        .isEqualTo(
            new MetricSeries(
                TENANT,
                "http_requests_total",
                Labels.of("method", "GET", "route", "/a"),
                dev.sextant.model.MetricType.COUNTER,
                dev.sextant.model.Temporality.CUMULATIVE,
                "1",
                "a test metric"));
    assertThat(points(requests))
        .containsExactly(
            new NumberPoint(T0, T0 + SECOND, 5), new NumberPoint(T0, T0 + 2 * SECOND, 7));

    MetricSeries queue = onlySeries("queue_depth");
    assertThat(queue.type()).isEqualTo(dev.sextant.model.MetricType.UP_DOWN_COUNTER);
    assertThat(points(queue)).containsExactly(new NumberPoint(T0, T0 + SECOND, -3));

    MetricSeries temperature = onlySeries("temperature_celsius");
    assertThat(temperature.type()).isEqualTo(dev.sextant.model.MetricType.GAUGE);
    assertThat(temperature.temporality()).isEqualTo(dev.sextant.model.Temporality.NONE);
    assertThat(temperature.labels()).isEqualTo(Labels.of("room", "lab"));
    assertThat(points(temperature)).containsExactly(new NumberPoint(0, T0 + SECOND, 21.5));

    MetricSeries latency = onlySeries("request_seconds");
    assertThat(latency.type()).isEqualTo(dev.sextant.model.MetricType.HISTOGRAM);
    assertThat(latency.unit()).isEqualTo("s");
    assertThat(points(latency))
        .containsExactly(
            new HistogramPoint(
                T0,
                T0 + SECOND,
                6,
                4.2,
                Double.NaN,
                Double.NaN,
                new double[] {0.1, 1.0},
                new long[] {1, 2, 3}));
  }

  @Test
  void deltaPointsBecomeACumulativeSeries() {
    PipelineCall call = PipelineCall.open(client, 8);
    Ack ack =
        call.write(
            batch(
                1,
                TENANT,
                counter("tokens_delta_total", 10, T0 + SECOND)
                    .setTemporality(Temporality.TEMPORALITY_DELTA)
                    .setStartTimeUnixNano(T0),
                counter("tokens_delta_total", 4, T0 + 2 * SECOND)
                    .setTemporality(Temporality.TEMPORALITY_DELTA)
                    .setStartTimeUnixNano(T0 + SECOND)));
    call.complete();

    assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    MetricSeries series = onlySeries("tokens_delta_total");
    assertThat(series.temporality()).isEqualTo(dev.sextant.model.Temporality.CUMULATIVE);
    assertThat(points(series))
        .containsExactly(
            new NumberPoint(T0, T0 + SECOND, 10), new NumberPoint(T0, T0 + 2 * SECOND, 14));
  }

  @Test
  void rejectsUnrepresentablePointsOneByOneCountsThemAndStoresTheRest() {
    double nanBefore = rejected("nan_value");
    double histogramBefore = rejected("invalid_histogram");
    MetricPoint.Builder[] bad = {
      counter("bad_nan", Double.NaN, T0),
      counter("bad_inf", Double.POSITIVE_INFINITY, T0),
      counter("bad_negative_inf", Double.NEGATIVE_INFINITY, T0)
          .setType(MetricType.METRIC_TYPE_UP_DOWN_COUNTER),
      counter("bad_negative", -1, T0),
      counter("bad_exponential", 1, T0).setType(MetricType.METRIC_TYPE_EXPONENTIAL_HISTOGRAM),
      gauge("bad_summary", 1, T0).setType(MetricType.METRIC_TYPE_SUMMARY),
      counter("bad_unspecified", 1, T0).setType(MetricType.METRIC_TYPE_UNSPECIFIED),
      counter("bad_unknown_type", 1, T0).setTypeValue(99),
      histogram("bad_buckets", T0, List.of(1.0, 2.0), List.of(1L, 2L), 3),
      histogram("bad_bounds", T0, List.of(2.0, 1.0), List.of(1L, 2L, 3L), 3),
      histogram("bad_count", T0, List.of(1.0), List.of(1L, 2L), 3)
          .setHistogram(
              Histogram.newBuilder()
                  .setCount(7)
                  .setSum(1)
                  .addBounds(1)
                  .addBucketCounts(1)
                  .addBucketCounts(2)),
      counter("bad_temporality", 1, T0).setTemporality(Temporality.TEMPORALITY_NONE),
      counter("bad_time", 1, 0),
      counter("bad_start", 1, T0).setStartTimeUnixNano(T0 + SECOND),
      counter("", 1, T0),
      labels(counter("bad_duplicate_label", 1, T0), "a", "1", "a", "2"),
      labels(counter("bad_reserved_label", 1, T0), "__name__", "x"),
      counter("bad_histogram_value", 1, T0)
          .setHistogram(Histogram.newBuilder().addBucketCounts(1).setCount(1)),
      gauge("bad_missing_value", 1, T0).clearNumber(),
    };
    WriteRequest.Builder request =
        batch(7, TENANT, labels(gauge("good_gauge", 1, T0), "kept", "yes")).toBuilder();
    for (MetricPoint.Builder point : bad) {
      request.addPoints(point);
    }

    PipelineCall call = PipelineCall.open(client, 8);
    Ack ack = call.write(request.build());
    call.complete();

    assertThat(ack.getBatchId()).isEqualTo(7);
    assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(ack.getRejectedPoints()).isEqualTo(bad.length);
    assertThat(ack.getErrorMessage())
        .startsWith(bad.length + " points rejected: ")
        .contains(
            "unknown_type x2",
            "invalid_value x4",
            "nan_value x1 (metric 'bad_nan': value is NaN)",
            "infinite_sum x2",
            "negative_counter x1",
            "invalid_histogram x3",
            "invalid_temporality x1",
            "invalid_timestamp x2",
            "invalid_name x1",
            "invalid_labels x2");
    assertThat(points(onlySeries("good_gauge"))).containsExactly(new NumberPoint(0, T0, 1));
    assertThat(storage.metrics().metricNames(TENANT, TimeRange.ALL).await().indefinitely())
        .noneMatch(name -> name.startsWith("bad_"));
    assertThat(rejected("nan_value") - nanBefore).isEqualTo(1);
    assertThat(rejected("invalid_histogram") - histogramBefore).isEqualTo(3);
  }

  @Test
  void aBadBatchIsAnsweredAndTheStreamGoesOn() {
    PipelineCall call = PipelineCall.open(client, 8);
    Ack invalidTenant = call.write(batch(1, "not a tenant!", gauge("g", 1, T0)));
    Ack emptyTenant = call.write(batch(2, "", gauge("g", 1, T0)));
    Ack tooLarge =
        call.write(
            batch(
                3,
                TENANT,
                IntStream.range(0, 101)
                    .mapToObj(i -> gauge("too_large", i, T0 + i))
                    .toArray(MetricPoint.Builder[]::new)));
    // Authentication is off: the caller acts for "default" only.
    Ack otherTenant = call.write(batch(4, "acme", gauge("g", 1, T0)));
    Ack good = call.write(batch(5, TENANT, gauge("after_bad_batches", 1, T0)));
    call.complete();
    call.awaitCompletion();

    assertThat(List.of(invalidTenant, emptyTenant, tooLarge, otherTenant))
        .allSatisfy(ack -> assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_INVALID));
    assertThat(invalidTenant.getErrorMessage()).startsWith("invalid_tenant: ");
    assertThat(emptyTenant.getErrorMessage()).startsWith("invalid_tenant: ");
    assertThat(tooLarge.getRejectedPoints()).isEqualTo(101);
    assertThat(tooLarge.getErrorMessage())
        .isEqualTo("too_large: 101 points exceed sextant.aggregator.max-points-per-batch=100");
    assertThat(otherTenant.getErrorMessage())
        .isEqualTo("forbidden_tenant: this API key may not write for tenant 'acme'");
    assertThat(good.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(storage.metrics().metricNames("acme", TimeRange.ALL).await().indefinitely())
        .isEmpty();
    assertThat(storage.metrics().metricNames(TENANT, TimeRange.ALL).await().indefinitely())
        .contains("after_bad_batches")
        .doesNotContain("too_large");
  }

  @Test
  void anEmptyBatchIsCommitted() {
    PipelineCall call = PipelineCall.open(client, 8);
    Ack ack = call.write(batch(42, TENANT));
    call.complete();
    assertThat(ack)
        .isEqualTo(
            Ack.newBuilder().setBatchId(42).setStatus(AckStatus.ACK_STATUS_COMMITTED).build());
  }

  @Test
  void selfMetricsArePublished() {
    PipelineCall call = PipelineCall.open(client, 8);
    call.write(batch(1, TENANT, gauge("metrics_probe", 1, T0)));
    call.complete();
    call.awaitCompletion();

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString("sextant_aggregator_batches_received_total"),
            containsString("sextant_aggregator_points_committed_total"),
            containsString("sextant_aggregator_batches_acked_total{status=\"committed\"}"),
            containsString("sextant_aggregator_points_rejected_total{reason=\"forbidden_tenant\"}"),
            containsString("sextant_aggregator_points_rejected_total{reason=\"nan_value\"}"),
            containsString("sextant_aggregator_batches_in_flight"),
            containsString("sextant_aggregator_streams_open"),
            containsString(
                "sextant_store_seconds_count{op=\"write\",outcome=\"ok\",signal=\"metrics\"}"));
  }

  @Test
  void exponentialHistogramsAndSummariesAreStoredAsSent() {
    MetricPoint.Builder exponential =
        MetricPoint.newBuilder()
            .setName("llm_latency")
            .setUnit("ms")
            .setType(MetricType.METRIC_TYPE_EXPONENTIAL_HISTOGRAM)
            .setTemporality(Temporality.TEMPORALITY_CUMULATIVE)
            .setStartTimeUnixNano(T0)
            .setTimeUnixNano(T0 + SECOND)
            .setExponentialHistogram(
                ExponentialHistogram.newBuilder()
                    .setCount(6)
                    .setSum(120.5)
                    .setMin(1)
                    .setMax(80)
                    .setScale(4)
                    .setZeroCount(1)
                    .setPositive(
                        ExponentialHistogram.Buckets.newBuilder()
                            .setOffset(7)
                            .addBucketCounts(2)
                            .addBucketCounts(0)
                            .addBucketCounts(3)));
    MetricPoint.Builder summary =
        MetricPoint.newBuilder()
            .setName("rpc_duration_seconds")
            .setUnit("s")
            .setType(MetricType.METRIC_TYPE_SUMMARY)
            .setStartTimeUnixNano(T0)
            .setTimeUnixNano(T0 + SECOND)
            .setSummary(
                Summary.newBuilder()
                    .setCount(10)
                    .setSum(3.5)
                    .addQuantiles(Summary.Quantile.newBuilder().setQuantile(0.5).setValue(0.2))
                    .addQuantiles(
                        Summary.Quantile.newBuilder().setQuantile(0.99).setValue(Double.NaN)));

    PipelineCall call = PipelineCall.open(client, 8);
    Ack ack = call.write(batch(21, TENANT, exponential, summary));
    call.complete();

    assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(ack.getRejectedPoints()).isZero();
    assertThat(points(onlySeries("llm_latency")))
        .containsExactly(
            new ExponentialHistogramPoint(
                T0,
                T0 + SECOND,
                6,
                120.5,
                1,
                80,
                4,
                1,
                0,
                new ExponentialHistogramPoint.Buckets(7, new long[] {2, 0, 3}),
                ExponentialHistogramPoint.Buckets.EMPTY));
    assertThat(points(onlySeries("rpc_duration_seconds")))
        .containsExactly(
            new SummaryPoint(
                T0,
                T0 + SECOND,
                10,
                3.5,
                List.of(
                    new SummaryPoint.Quantile(0.5, 0.2),
                    new SummaryPoint.Quantile(0.99, Double.NaN))));
  }

  @Test
  void aMetricNameKeepsItsTypeTemporalityAndUnit() {
    PipelineCall call = PipelineCall.open(client, 8);
    Ack first = call.write(batch(31, TENANT, counter("jobs_done", 1, T0 + SECOND)));
    Ack conflicting =
        call.write(
            batch(
                32,
                TENANT,
                gauge("jobs_done", 1, T0 + SECOND),
                counter("jobs_done", 2, T0 + SECOND).setTemporality(Temporality.TEMPORALITY_DELTA),
                counter("jobs_done", 3, T0 + 2 * SECOND).setUnit("ms"),
                counter("jobs_done", 4, T0 + 3 * SECOND)));
    call.complete();

    assertThat(first.getRejectedPoints()).isZero();
    assertThat(conflicting.getRejectedPoints()).isEqualTo(3);
    assertThat(conflicting.getErrorMessage())
        .contains(
            "type_conflict x1 (metric 'jobs_done' is a COUNTER here, but this point is a GAUGE)",
            "temporality_conflict x1",
            "unit_conflict x1");
    assertThat(points(onlySeries("jobs_done")))
        .containsExactly(
            new NumberPoint(T0, T0 + SECOND, 1), new NumberPoint(T0, T0 + 3 * SECOND, 4));
  }

  @Test
  void guardrailsReaggregateDeniedLabelsSoTheSumStaysRightAndSayWhy() {
    PipelineCall call = PipelineCall.open(client, 8);
    Ack ack =
        call.write(
            batch(
                41,
                TENANT,
                labels(
                    counter("agent_tokens", 5, T0 + SECOND)
                        .setTemporality(Temporality.TEMPORALITY_DELTA),
                    "model",
                    "m1",
                    "user_id",
                    "u1"),
                labels(
                    counter("agent_tokens", 7, T0 + SECOND)
                        .setTemporality(Temporality.TEMPORALITY_DELTA),
                    "model",
                    "m1",
                    "user_id",
                    "u2")));
    call.complete();

    assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(ack.getRejectedPoints()).isZero();
    assertThat(ack.getErrorMessage())
        .isEqualTo(
            "2 points re-aggregated by guardrails: denied_label x2 (metric 'agent_tokens': label"
                + " 'user_id' is on the deny list, removed)");
    MetricSeries series = onlySeries("agent_tokens");
    assertThat(series.labels()).isEqualTo(Labels.of("model", "m1"));
    assertThat(points(series)).containsExactly(new NumberPoint(T0, T0 + SECOND, 12));
    assertThat(
            registry
                .get("sextant.aggregator.guardrail.hits")
                .tag("guardrail", "denied_label")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void seriesRefsCarryLaterPointsWithoutTheirLabelsAndLastAsLongAsTheirStream() {
    PipelineCall call = PipelineCall.open(client, 8);
    // Batch 1 defines ref 1; batch 2 refers to it with times and value only.
    Ack defined =
        call.write(
            batch(
                1,
                TENANT,
                labels(counter("ref_requests_total", 5, T0 + SECOND), "route", "/r")
                    .setSeriesRef(1)));
    Ack referred =
        call.write(
            batch(
                2,
                TENANT,
                reference(1, T0 + 2 * SECOND, 9),
                // Never defined on this stream, and beyond the largest ref.
                reference(2, T0 + 2 * SECOND, 1),
                reference(SeriesRefs.MAX_REF + 1, T0 + 2 * SECOND, 1)));
    call.complete();
    call.awaitCompletion();

    // A new stream starts without refs.
    PipelineCall next = PipelineCall.open(client, 8);
    Ack newStream = next.write(batch(4, TENANT, reference(1, T0 + 4 * SECOND, 13)));
    next.complete();
    next.awaitCompletion();

    assertThat(defined.getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    assertThat(defined.getRejectedPoints()).isZero();
    assertThat(referred.getRejectedPoints()).isEqualTo(2);
    assertThat(referred.getErrorMessage())
        .contains("invalid_series_ref x2", "series ref 2 was not defined on this stream");
    assertThat(newStream.getRejectedPoints()).isEqualTo(1);
    assertThat(newStream.getErrorMessage()).contains("series ref 1 was not defined");

    MetricSeries requests = onlySeries("ref_requests_total");
    assertThat(requests.labels()).isEqualTo(Labels.of("route", "/r"));
    assertThat(points(requests))
        .containsExactly(
            new NumberPoint(T0, T0 + SECOND, 5), new NumberPoint(T0, T0 + 2 * SECOND, 9));
  }

  private MetricSeries onlySeries(String name) {
    List<MetricSeries> series =
        storage
            .metrics()
            .series(
                new SeriesQuery(
                    TENANT, List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, name)), null))
            .await()
            .indefinitely();
    assertThat(series).as("series named %s", name).hasSize(1);
    return series.getFirst();
  }

  private List<dev.sextant.model.MetricPoint> points(MetricSeries series) {
    return storage.metrics().points(TENANT, series.id(), TimeRange.ALL).await().indefinitely();
  }

  private double rejected(String reason) {
    return registry
        .get("sextant.aggregator.points.rejected")
        .tag("reason", reason)
        .counter()
        .count();
  }
}
