package dev.sextant.ingest;

import static dev.sextant.ingest.OtlpHttp.postProtobuf;
import static dev.sextant.ingest.OtlpHttp.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.sextant.ingest.pipeline.LinkState;
import dev.sextant.ingest.pipeline.MetricPipelineClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metric stream against the fake aggregator: credits, acks, broken streams. */
@QuarkusTest
class MetricPipelineTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** {@code %test.sextant.ingest.pipeline.queue-capacity}. */
  private static final int QUEUE_CAPACITY = 4;

  @Inject MetricPipelineClient pipeline;

  @GrpcClient("otlp")
  MetricsService metrics;

  @BeforeEach
  void streamIsUp() {
    FakeAggregator.CONTROL.reset();
    await().atMost(WAIT).until(() -> pipeline.status().state() == LinkState.READY);
  }

  @AfterEach
  void reset() {
    FakeAggregator.CONTROL.reset();
  }

  private static ExportMetricsServiceRequest request(String name) {
    return Otlp.metrics("pipe", Otlp.gauge(name, Otlp.number(1)));
  }

  @Test
  void neverMoreBatchesInFlightThanCreditedAndTheExcessIsQueuedThenRefused() throws Exception {
    FakeAggregator.CONTROL.mode(FakeAggregator.Control.Mode.STALL);
    int window = FakeAggregator.CONTROL.window();
    List<CompletableFuture<ExportMetricsServiceResponse>> waiting = new ArrayList<>();
    for (int i = 0; i < window + QUEUE_CAPACITY; i++) {
      waiting.add(metrics.export(request("m" + i)).subscribeAsCompletionStage());
    }

    await()
        .atMost(WAIT)
        .until(
            () ->
                pipeline.status().pendingAcks() == window
                    && pipeline.status().queued() == QUEUE_CAPACITY);
    assertThat(FakeAggregator.CONTROL.received()).hasSize(window);
    assertThat(pipeline.status().credits()).isEqualTo(window);
    assertThat(waiting).noneMatch(CompletableFuture::isDone);

    // The queue is full: one more is refused at once, over both transports.
    assertThatThrownBy(() -> metrics.export(request("over")).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("metric pipeline is full");
            });
    Response http = postProtobuf("/v1/metrics", request("over-http"));
    assertThat(http.statusCode()).isEqualTo(429);
    assertThat(http.header("Retry-After")).isEqualTo("1");
    assertThat(FakeAggregator.CONTROL.received()).hasSize(window);

    FakeAggregator.CONTROL.release();
    for (CompletableFuture<ExportMetricsServiceResponse> response : waiting) {
      assertThat(response.get(WAIT.toSeconds(), TimeUnit.SECONDS).hasPartialSuccess()).isFalse();
    }
    assertThat(FakeAggregator.CONTROL.received()).hasSize(window + QUEUE_CAPACITY);
    assertThat(FakeAggregator.CONTROL.maxUnacked()).isEqualTo(window);
    assertThat(FakeAggregator.CONTROL.creditViolations()).isZero();
    assertThat(pipeline.status().pendingAcks()).isZero();
    assertThat(pipeline.status().queued()).isZero();
  }

  @Test
  void pointsTheAggregatorRejectsJoinThePartialSuccess() {
    FakeAggregator.CONTROL.rejectPoints(1);
    var request =
        Otlp.metrics(
            "pipe", Otlp.counter("c", Otlp.number(1), Otlp.number(2), Otlp.number(Double.NaN)));
    ExportMetricsServiceResponse response = metrics.export(request).await().atMost(WAIT);
    assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(2);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .contains("nan_value x1")
        .contains("fake: series limit");
  }

  @Test
  void aRetryableAckIsUnavailable() {
    FakeAggregator.CONTROL.mode(FakeAggregator.Control.Mode.RETRYABLE);
    assertThatThrownBy(() -> metrics.export(request("r")).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              GrpcAssertions.assertRetryable(e, Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).contains("fake: store busy");
            });
    Response http = postProtobuf("/v1/metrics", request("r-http"));
    assertThat(http.statusCode()).isEqualTo(503);
    assertThat(http.header("Retry-After")).isEqualTo("1");
  }

  @Test
  void anInvalidAckIsBadInput() {
    FakeAggregator.CONTROL.mode(FakeAggregator.Control.Mode.INVALID);
    assertThatThrownBy(() -> metrics.export(request("i")).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    Response http = postProtobuf("/v1/metrics", request("i-http"));
    assertThat(http.statusCode()).isEqualTo(400);
    assertThat(status(http).getMessage()).contains("fake: invalid batch");
  }

  @Test
  void aBrokenStreamFailsWhatIsPendingAsUnavailableThenRecovers() throws Exception {
    FakeAggregator.CONTROL.mode(FakeAggregator.Control.Mode.STALL);
    CompletableFuture<ExportMetricsServiceResponse> pending =
        metrics.export(request("lost")).subscribeAsCompletionStage();
    await().atMost(WAIT).until(() -> pipeline.status().pendingAcks() == 1);

    FakeAggregator.CONTROL.breakStreams();

    assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(StatusRuntimeException.class)
        .cause()
        .satisfies(
            e -> {
              Status status = ((StatusRuntimeException) e).getStatus();
              assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(status.getDescription()).contains("metric stream to the aggregator broke");
            });
    // Credits went back to zero with the stream; the reconnected stream gets fresh ones.
    FakeAggregator.CONTROL.reset();
    await().atMost(WAIT).until(() -> pipeline.status().state() == LinkState.READY);
    assertThat(pipeline.status().credits()).isEqualTo(FakeAggregator.CONTROL.window());
    assertThat(metrics.export(request("after")).await().atMost(WAIT).hasPartialSuccess()).isFalse();
  }

  @Test
  void theLinkIsInHealthAndMetrics() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(containsString("aggregator-link"))
        .body(containsString("\"state\": \"READY\""));
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("sextant_ingest_pipeline_credits"))
        .body(containsString("sextant_ingest_pipeline_queue_depth"))
        .body(containsString("sextant_ingest_pipeline_pending_acks"))
        .body(containsString("sextant_ingest_pipeline_connected 1.0"))
        .body(containsString("sextant_ingest_in_flight_records"));
  }
}
