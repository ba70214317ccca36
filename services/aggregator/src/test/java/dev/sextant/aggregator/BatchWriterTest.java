package dev.sextant.aggregator;

import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.batch;
import static dev.sextant.aggregator.Points.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Score;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.service.auth.Principal;
import dev.sextant.storage.Capabilities;
import dev.sextant.storage.CheckResult;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.PayloadStore;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.memory.InMemoryStorage;
import dev.sextant.storage.retention.RetentionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Store behaviours a real backend rarely shows on demand: hanging, throwing instead of failing. */
class BatchWriterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aStoreThatNeverAnswersGetsARetryableAckAfterTheTimeout() {
    BatchWriter writer = writer(writes -> Uni.createFrom().nothing());
    Ack ack =
        writer
            .write(Principal.LOCAL, batch(1, "default", gauge("g", 1, T0)))
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(ack)
        .isEqualTo(
            Ack.newBuilder()
                .setBatchId(1)
                .setStatus(AckStatus.ACK_STATUS_RETRYABLE)
                .setRejectedPoints(1)
                .setErrorMessage(
                    "store_unavailable: store: the store did not commit within PT0.05S")
                .build());
  }

  @Test
  void aStoreThatThrowsInsteadOfFailingStillGetsAnAck() {
    BatchWriter writer =
        writer(
            writes -> {
              throw new IllegalStateException("backend bug");
            });
    Ack ack =
        writer
            .write(Principal.LOCAL, batch(2, "default", gauge("g", 1, T0)))
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_INVALID);
    assertThat(ack.getErrorMessage()).isEqualTo("store_failed: store: backend bug");
    assertThat(
            registry
                .get("sextant.aggregator.points.rejected")
                .tag("reason", "store_failed")
                .counter()
                .count())
        .isEqualTo(1);
  }

  private BatchWriter writer(Function<List<MetricWrite>, Uni<Void>> write) {
    AggregatorConfig config =
        TestConfig.aggregator(Map.of("sextant.aggregator.write-timeout", "50ms"));
    return new BatchWriter(new FakeStorage(write), config, new PipelineMetrics(registry));
  }

  /** Only metric writes are used; everything else is not part of these tests. */
  private static final class FakeStorage extends StorageComponent {
    private final MetricStore metrics;

    FakeStorage(Function<List<MetricWrite>, Uni<Void>> write) {
      InMemoryStorage memory = new InMemoryStorage();
      memory.start();
      this.metrics =
          new ForwardingMetricStore(memory.metrics()) {
            @Override
            public Uni<Void> write(List<MetricWrite> writes) {
              return write.apply(writes);
            }
          };
    }

    @Override
    public void start() {}

    @Override
    public SpanStore spans() {
      throw new UnsupportedOperationException("not used by the aggregator");
    }

    @Override
    public LogStore logs() {
      throw new UnsupportedOperationException("not used by the aggregator");
    }

    @Override
    public MetricStore metrics() {
      return metrics;
    }

    @Override
    public RetentionStore retention() {
      throw new UnsupportedOperationException("not used by the aggregator");
    }

    @Override
    public PayloadStore payloads() {
      throw new UnsupportedOperationException("not used by the aggregator");
    }

    @Override
    public EventStore<MetricEvent> metricEvents() {
      throw new UnsupportedOperationException("not used by the aggregator");
    }

    @Override
    public EventStore<Score> scores() {
      throw new UnsupportedOperationException("not used by the aggregator");
    }

    @Override
    public EventStore<Feedback> feedback() {
      throw new UnsupportedOperationException("not used by the aggregator");
    }

    @Override
    public Capabilities capabilities() {
      return new Capabilities("fake", false, 1);
    }

    @Override
    public CheckResult check() {
      return CheckResult.OK;
    }

    @Override
    public void close() {}
  }
}
