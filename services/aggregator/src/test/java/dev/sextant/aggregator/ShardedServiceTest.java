package dev.sextant.aggregator;

import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.batch;
import static dev.sextant.aggregator.Points.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.model.SeriesShards;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.MetricPipeline;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.TimeRange;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The aggregator service as shard 0 of a count read from a file, over its gRPC stream: a batch of a
 * metric another shard owns is answered {@code NOT_OWNER} and not stored; when the file says one
 * shard, the same metric is written; a file that goes bad keeps the count.
 */
@QuarkusTest
@TestProfile(ShardedServiceTest.ShardZeroOfTwo.class)
class ShardedServiceTest {
  public static final class ShardZeroOfTwo implements QuarkusTestProfile {
    static final Path COUNT = countFile();

    private static Path countFile() {
      try {
        Path file = Files.createTempFile("sextant-shard-count", "");
        file.toFile().deleteOnExit();
        return Files.writeString(file, "2\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "sextant.aggregator.shard.index", "0",
          "sextant.aggregator.shard.count-file", COUNT.toString(),
          "sextant.aggregator.shard.poll-interval", "100ms",
          // No wait for a gained metric: what is tested here is the routing, not the hand-over.
          "sextant.aggregator.shard.hand-over-grace", "0s");
    }
  }

  @GrpcClient("pipeline")
  MetricPipeline client;

  @Inject StorageComponent storage;

  private final AtomicLong batchIds = new AtomicLong();

  private static String metricOf(int shard) {
    for (int i = 0; ; i++) {
      if (SeriesShards.owner("default", "sharded_" + i, 2) == shard) {
        return "sharded_" + i;
      }
    }
  }

  private Ack write(PipelineCall call, String metric, long time) {
    return call.write(batch(batchIds.incrementAndGet(), "default", gauge(metric, 1, time)));
  }

  private List<String> names() {
    return storage.metrics().metricNames("default", TimeRange.ALL).await().indefinitely();
  }

  @Test
  void theCountFileDecidesWhatThisShardWrites() throws IOException, InterruptedException {
    String mine = metricOf(0);
    String theirs = metricOf(1);
    PipelineCall call = PipelineCall.open(client, 8);

    assertThat(write(call, mine, T0).getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    Ack refused = write(call, theirs, T0);
    assertThat(refused.getStatus()).isEqualTo(AckStatus.ACK_STATUS_NOT_OWNER);
    assertThat(refused.getShardCount()).isEqualTo(2);
    assertThat(refused.getErrorMessage()).startsWith("not_owner: metric '" + theirs + "'");
    assertThat(names()).contains(mine).doesNotContain(theirs);

    Files.writeString(ShardZeroOfTwo.COUNT, "1");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> write(call, theirs, T0).getStatus() == AckStatus.ACK_STATUS_COMMITTED);
    assertThat(names()).contains(mine, theirs);

    Files.writeString(ShardZeroOfTwo.COUNT, "zero");
    Thread.sleep(300); // three polls of the bad file
    assertThat(write(call, theirs, T0 + 1).getStatus()).isEqualTo(AckStatus.ACK_STATUS_COMMITTED);
    call.complete();
    call.awaitCompletion();
  }
}
