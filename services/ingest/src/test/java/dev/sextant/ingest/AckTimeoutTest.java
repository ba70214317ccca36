package dev.sextant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sextant.ingest.pipeline.LinkState;
import dev.sextant.ingest.pipeline.MetricPipelineClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A batch the aggregator never acknowledges fails as unavailable, and the stream is reset. */
@QuarkusTest
@TestProfile(AckTimeoutTest.ShortAckTimeout.class)
class AckTimeoutTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  public static final class ShortAckTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("sextant.ingest.pipeline.ack-timeout", "1s");
    }
  }

  @Inject MetricPipelineClient pipeline;

  @GrpcClient("otlp")
  MetricsService metrics;

  @AfterEach
  void reset() {
    FakeAggregator.CONTROL.reset();
  }

  @Test
  void anUnacknowledgedBatchTimesOutAsUnavailableAndTheStreamRecovers() {
    await().atMost(WAIT).until(() -> pipeline.status().state() == LinkState.READY);
    FakeAggregator.CONTROL.mode(FakeAggregator.Control.Mode.STALL);
    var request = Otlp.metrics("svc", Otlp.gauge("slow", Otlp.number(1)));

    long start = System.nanoTime();
    assertThatThrownBy(() -> metrics.export(request).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .contains("not acknowledged by the aggregator within PT1S");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));

    FakeAggregator.CONTROL.reset();
    await().atMost(WAIT).until(() -> pipeline.status().state() == LinkState.READY);
    assertThat(metrics.export(request).await().atMost(WAIT).hasPartialSuccess()).isFalse();
  }
}
