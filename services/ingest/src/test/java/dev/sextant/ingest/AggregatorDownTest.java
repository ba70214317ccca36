package dev.sextant.ingest;

import static dev.sextant.ingest.OtlpHttp.postProtobuf;
import static dev.sextant.ingest.OtlpHttp.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.google.protobuf.ByteString;
import dev.sextant.ingest.pipeline.LinkState;
import dev.sextant.ingest.pipeline.MetricPipelineClient;
import dev.sextant.storage.StorageComponent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No aggregator listening: metric exports are unavailable, spans and logs work, ingest is ready.
 */
@QuarkusTest
@TestProfile(AggregatorDownTest.NoAggregator.class)
class AggregatorDownTest {
  /** Points the metric stream at a port where nothing listens. */
  public static final class NoAggregator implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.grpc.clients.aggregator.port", "14399",
          "quarkus.grpc.clients.aggregator.test-port", "14399");
    }
  }

  @Inject StorageComponent storage;
  @Inject MetricPipelineClient pipeline;

  @GrpcClient("otlp")
  MetricsService metrics;

  @Test
  void metricsAreUnavailableOverBothTransports() {
    assertThat(pipeline.status().state()).isNotEqualTo(LinkState.READY);
    var request = Otlp.metrics("svc", Otlp.gauge("g", Otlp.number(1)));

    Response http = postProtobuf("/v1/metrics", request);
    assertThat(http.statusCode()).isEqualTo(503);
    assertThat(http.header("Retry-After")).isEqualTo("1");
    assertThat(status(http).getMessage()).contains("no metric stream to the aggregator");

    assertThatThrownBy(() -> metrics.export(request).await().atMost(Duration.ofSeconds(20)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              GrpcAssertions.assertRetryable(e, Status.Code.UNAVAILABLE);
            });
  }

  @Test
  void spansAndLogsKeepWorking() {
    ByteString trace = Otlp.traceId();
    var traces = Otlp.traces("svc", Otlp.span(trace, Otlp.spanId(), "still here"));
    assertThat(postProtobuf("/v1/traces", traces).statusCode()).isEqualTo(200);
    assertThat(StoredData.trace(storage, Otlp.hex(trace))).hasSize(1);
    assertThat(postProtobuf("/v1/logs", Otlp.logs("svc-down", Otlp.log("ok"))).statusCode())
        .isEqualTo(200);
  }

  @Test
  void ingestStaysReadyAndShowsTheLinkDown() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(containsString("aggregator-link"))
        .body(not(containsString("\"state\": \"READY\"")));
    given().get("/q/metrics").then().body(containsString("sextant_ingest_pipeline_connected 0.0"));
  }
}
