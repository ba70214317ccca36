package dev.sextant.ingest;

import static dev.sextant.ingest.OtlpHttp.postProtobuf;
import static dev.sextant.ingest.OtlpHttp.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.sextant.ingest.admission.IngestAdmission;
import dev.sextant.ingest.pipeline.LinkState;
import dev.sextant.ingest.pipeline.MetricPipelineClient;
import dev.sextant.storage.StorageComponent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bound on records in flight, and the store's rate, refuse work at once as overloaded. */
@QuarkusTest
@TestProfile(AdmissionTest.TightLimits.class)
class AdmissionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /**
   * Ten records and 4000 request bytes in flight; spans and logs at one record a second, ten saved
   * up.
   */
  public static final class TightLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "sextant.ingest.admission.max-in-flight-records", "10",
          "sextant.ingest.admission.max-in-flight-bytes", "4000",
          "sextant.ingest.admission.max-records-per-second", "1",
          "sextant.ingest.admission.burst-seconds", "10");
    }
  }

  @Inject StorageComponent storage;
  @Inject IngestAdmission admission;
  @Inject MetricPipelineClient pipeline;

  @GrpcClient("otlp")
  MetricsService metrics;

  @GrpcClient("otlp")
  TraceService traces;

  @AfterEach
  void reset() {
    FakeAggregator.CONTROL.reset();
  }

  @Test
  void recordsInFlightOverTheBoundAreRefusedAtOnce() throws Exception {
    await().atMost(WAIT).until(() -> pipeline.status().state() == LinkState.READY);
    FakeAggregator.CONTROL.mode(FakeAggregator.Control.Mode.STALL);
    NumberDataPoint.Builder[] points = new NumberDataPoint.Builder[8];
    for (int i = 0; i < points.length; i++) {
      points[i] = Otlp.number(i);
    }
    CompletableFuture<ExportMetricsServiceResponse> held =
        metrics
            .export(Otlp.metrics("svc", Otlp.gauge("held", points)))
            .subscribeAsCompletionStage();
    await().atMost(WAIT).until(() -> admission.inFlight() == 8);

    ByteString trace = Otlp.traceId();
    Response refused =
        postProtobuf(
            "/v1/traces",
            Otlp.traces(
                "svc",
                Otlp.span(trace, Otlp.spanId(), "a"),
                Otlp.span(trace, Otlp.spanId(), "b"),
                Otlp.span(trace, Otlp.spanId(), "c")));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(status(refused).getMessage()).contains("limit of 10 records in flight");
    assertThat(StoredData.trace(storage, Otlp.hex(trace))).isEmpty();

    FakeAggregator.CONTROL.release();
    assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS).hasPartialSuccess()).isFalse();
    await().atMost(WAIT).until(() -> admission.inFlight() == 0);
  }

  @Test
  void requestBytesInFlightOverTheBoundAreRefusedBeforeParsing() throws Exception {
    await().atMost(WAIT).until(() -> pipeline.status().state() == LinkState.READY);
    FakeAggregator.CONTROL.mode(FakeAggregator.Control.Mode.STALL);
    // One point whose request takes most of the 4000 bytes, held before its commit.
    NumberDataPoint.Builder big = Otlp.number(1).addAttributes(Otlp.attr("pad", "x".repeat(3000)));
    var heavy = Otlp.metrics("svc", Otlp.gauge("held", big));
    assertThat(heavy.getSerializedSize()).isBetween(3000, 4000);
    CompletableFuture<ExportMetricsServiceResponse> held =
        metrics.export(heavy).subscribeAsCompletionStage();
    await().atMost(WAIT).until(() -> admission.inFlight() == 1);

    ByteString trace = Otlp.traceId();
    var overBytes =
        Otlp.traces(
            "svc",
            Otlp.span(trace, Otlp.spanId(), "a").addAttributes(Otlp.attr("p", "y".repeat(1500))));
    Response refused = postProtobuf("/v1/traces", overBytes);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(status(refused).getMessage()).contains("limit of 4000 request bytes in flight");
    assertThatThrownBy(() -> traces.export(overBytes).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("request bytes in flight");
            });
    assertThat(StoredData.trace(storage, Otlp.hex(trace))).isEmpty();

    FakeAggregator.CONTROL.release();
    assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS).hasPartialSuccess()).isFalse();
    await().atMost(WAIT).until(() -> admission.inFlight() == 0 && admission.inFlightBytes() == 0);
    // The held request's bytes were released with its answer: a request as large fits again (a
    // metric one, so that the store rate the next test counts on stays unspent).
    assertThat(metrics.export(heavy).await().atMost(WAIT).hasPartialSuccess()).isFalse();
  }

  @Test
  void spansOverTheStoreRateAreRefusedWithRetryAfter() {
    ByteString first = Otlp.traceId();
    var ten = Otlp.traces("svc", spans(first, 10));
    assertThat(postProtobuf("/v1/traces", ten).statusCode()).isEqualTo(200);

    ByteString second = Otlp.traceId();
    Response refused = postProtobuf("/v1/traces", Otlp.traces("svc", spans(second, 5)));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(status(refused).getMessage()).contains("store's ingest rate of 1 records/s");
    assertThat(StoredData.trace(storage, Otlp.hex(first))).hasSize(10);
    assertThat(StoredData.trace(storage, Otlp.hex(second))).isEmpty();
    assertThat(admission.inFlight()).isZero();
  }

  private static io.opentelemetry.proto.trace.v1.Span.Builder[] spans(ByteString trace, int n) {
    var spans = new io.opentelemetry.proto.trace.v1.Span.Builder[n];
    for (int i = 0; i < n; i++) {
      spans[i] = Otlp.span(trace, Otlp.spanId(), "s" + i);
    }
    return spans;
  }
}
