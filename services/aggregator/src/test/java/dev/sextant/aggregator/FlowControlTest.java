package dev.sextant.aggregator;

import static dev.sextant.aggregator.Points.SECOND;
import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.counter;
import static dev.sextant.aggregator.Points.labels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Tenants;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.MetricPipeline;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.protocol.pipeline.v1.WriteResponse;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §2.3 proven: a sender faster than the store pushes two million points through the
 * pipeline; the aggregator never holds more than its credit window, its memory stays flat, and
 * every acknowledged point reached the store.
 */
@QuarkusTest
@TestProfile(FlowControlTest.SlowStore.class)
class FlowControlTest {
  static final int WINDOW = 8;
  static final int POINTS_PER_BATCH = 5_000;
  static final int BATCHES = 400;

  /** A store that takes 10 ms per write and keeps nothing, and a credit window of 8. */
  public static final class SlowStore implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "sextant.storage.kind", "slow-counting",
          "sextant.aggregator.credit-window", String.valueOf(WINDOW),
          "sextant.aggregator.max-points-per-batch", String.valueOf(POINTS_PER_BATCH));
    }
  }

  @GrpcClient("pipeline")
  MetricPipeline client;

  private static WriteRequest batch(int n) {
    WriteRequest.Builder batch =
        WriteRequest.newBuilder().setBatchId(n + 1L).setTenant(Tenants.DEFAULT);
    for (int i = 0; i < POINTS_PER_BATCH; i++) {
      // The same 5000 series in every batch, each a counter growing one second at a time.
      batch.addPoints(labels(counter("flow_points_total", n, T0 + n * SECOND), "i", "s" + i));
    }
    return batch.build();
  }

  @Test
  void twoMillionPointsThroughASlowStoreWithFlatMemoryAndNoLoss() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peakAfterGc = new AtomicLong(baseline);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger committed = new AtomicInteger();
    CompletableFuture<Void> done = new CompletableFuture<>();
    UnicastProcessor<WriteRequest> requests = UnicastProcessor.create();

    // A sender as ingest is: it sends a batch for every credit, and a new one for every ack.
    client
        .write(requests)
        .subscribe()
        .with(
            (WriteResponse response) -> {
              int grant = 0;
              if (response.hasCredit()) {
                grant = response.getCredit().getBatches();
              } else if (response.getAck().getStatus() == AckStatus.ACK_STATUS_COMMITTED) {
                int acked = committed.incrementAndGet();
                if (acked % 50 == 0) {
                  System.gc();
                  peakAfterGc.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                }
                if (acked == BATCHES) {
                  requests.onComplete();
                  done.complete(null);
                }
                grant = 1;
              } else {
                done.completeExceptionally(new AssertionError("not committed: " + response));
              }
              for (int i = 0; i < grant && sent.get() < BATCHES; i++) {
                requests.onNext(batch(sent.getAndIncrement()));
              }
            },
            done::completeExceptionally);

    done.get(5, TimeUnit.MINUTES);

    assertThat(SlowCountingStorageProvider.POINTS.get())
        .isEqualTo((long) BATCHES * POINTS_PER_BATCH);
    assertThat(SlowCountingStorageProvider.MAX_CONCURRENT.get()).isLessThanOrEqualTo(WINDOW);
    // Two million points held at once would take hundreds of megabytes; the window holds 8
    // batches of 5000, a few megabytes.
    assertThat(peakAfterGc.get() - baseline).isLessThan(64L * 1024 * 1024);
  }
}
