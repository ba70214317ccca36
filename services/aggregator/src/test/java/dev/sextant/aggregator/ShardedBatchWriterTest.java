package dev.sextant.aggregator;

import static dev.sextant.aggregator.Points.SECOND;
import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.batch;
import static dev.sextant.aggregator.Points.labels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.aggregator.sharding.ShardGate;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SeriesShards;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.service.auth.Principal;
import dev.sextant.storage.memory.InMemoryStorage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Scaling the aggregator from 2 to 3 shards while two ingest replicas keep sending delta counters,
 * everyone learning the new count at a different step, through the real wiring: each shard is a
 * {@link BatchWriter} with its gate on one shared store, batches are answered with the acks the
 * stream sends, and a {@code NOT_OWNER} ack is retried by its sender, routed again by the count it
 * knows. At the end every delta series holds the sum of every delta sent; without the hand-over
 * grace the same run loses deltas.
 */
class ShardedBatchWriterTest {
  private static final int METRICS = 60;
  private static final int STEPS = 200;
  private static final long START = 1000 * SECOND;

  private final InMemoryStorage store = new InMemoryStorage();
  private final AtomicLong clock = new AtomicLong();
  private final AtomicLong batchIds = new AtomicLong();
  private final AggregatorConfig config = TestConfig.aggregator(Map.of());

  ShardedBatchWriterTest() {
    store.start();
  }

  /** One aggregator replica and what became of the batches sent to it. */
  private final class Shard {
    final BatchWriter writer;
    int committed;
    int notOwner;

    Shard(int ordinal, int count, long grace) {
      writer =
          new BatchWriter(
              store,
              config,
              new PipelineMetrics(new SimpleMeterRegistry()),
              new ShardGate(ordinal, count, grace, clock::get));
    }

    boolean write(WriteRequest request) {
      Ack ack = writer.write(Principal.LOCAL, request).await().atMost(Duration.ofSeconds(10));
      switch (ack.getStatus()) {
        case ACK_STATUS_COMMITTED -> {
          assertThat(ack.getRejectedPoints()).as(ack.getErrorMessage()).isZero();
          committed++;
          return true;
        }
        case ACK_STATUS_NOT_OWNER -> {
          assertThat(ack.getShardCount()).isPositive();
          notOwner++;
          return false;
        }
        default -> throw new AssertionError("unexpected ack " + ack);
      }
    }
  }

  /** One ingest replica: the count it routes by and its retries, in order. */
  private static final class Ingest {
    int count = 2;
    final Deque<WriteRequest> retries = new ArrayDeque<>();
  }

  private static String metric(int metric) {
    return "metric_" + metric;
  }

  private WriteRequest delta(int metric, int step) {
    return batch(
        batchIds.incrementAndGet(),
        "default",
        labels(
                Points.number(
                    MetricType.METRIC_TYPE_COUNTER,
                    Temporality.TEMPORALITY_DELTA,
                    metric(metric),
                    1,
                    T0 + step * SECOND),
                "job",
                "agent")
            .setStartTimeUnixNano(T0 + (step - 1) * SECOND));
  }

  private static boolean send(Ingest ingest, WriteRequest request, List<Shard> shards) {
    String metric = request.getPoints(0).getName();
    int owner = SeriesShards.owner("default", metric, ingest.count);
    return owner < shards.size() && shards.get(owner).write(request);
  }

  /** Runs the scale-up; returns the cumulative value stored per metric. */
  private List<Double> scaleUp(long grace, List<Shard> shards) {
    Ingest a = new Ingest();
    Ingest b = new Ingest();
    for (int step = 1; step <= STEPS; step++) {
      clock.set(START + step * SECOND);
      // The new shard starts at 80, shard 0 sees the change at 80, ingest A at 81, shard 1 at 88,
      // ingest B at 90.
      if (step == 80) {
        shards.add(new Shard(2, 3, grace));
        shards.get(0).writer.reshard(3);
      }
      if (step == 81) {
        a.count = 3;
      }
      if (step == 88) {
        shards.get(1).writer.reshard(3);
      }
      if (step == 90) {
        b.count = 3;
      }
      for (Ingest ingest : List.of(a, b)) {
        // Retries first, in order; a series with a retry waiting waits behind it.
        int waiting = ingest.retries.size();
        for (int i = 0; i < waiting; i++) {
          WriteRequest retry = ingest.retries.removeFirst();
          if (!send(ingest, retry, shards)) {
            ingest.retries.addLast(retry);
          }
        }
      }
      for (int metric = 0; metric < METRICS; metric++) {
        // Each series' deltas reach ingest A or B, alternately, as behind a load balancer.
        Ingest ingest = (step + metric) % 2 == 0 ? a : b;
        WriteRequest request = delta(metric, step);
        String name = metric(metric);
        boolean queued =
            ingest.retries.stream().anyMatch(r -> r.getPoints(0).getName().equals(name));
        if (queued || !send(ingest, request, shards)) {
          ingest.retries.addLast(request);
        }
      }
    }
    clock.addAndGet(grace + SECOND);
    for (Ingest ingest : List.of(a, b)) {
      while (!ingest.retries.isEmpty()) {
        assertThat(send(ingest, ingest.retries.removeFirst(), shards)).isTrue();
      }
    }
    List<Long> ids = new ArrayList<>();
    for (int metric = 0; metric < METRICS; metric++) {
      ids.add(MetricSeries.idOf("default", metric(metric), Labels.of("job", "agent")));
    }
    Map<Long, MetricPoint> latest =
        store.metrics().latestPoints("default", ids).await().atMost(Duration.ofSeconds(10));
    List<Double> values = new ArrayList<>();
    for (long id : ids) {
      values.add(((NumberPoint) latest.get(id)).value());
    }
    return values;
  }

  private List<Shard> twoShards(long grace) {
    clock.set(0);
    List<Shard> shards = new ArrayList<>();
    shards.add(new Shard(0, 2, grace));
    shards.add(new Shard(1, 2, grace));
    return shards;
  }

  @Test
  void everyDeltaIsCountedOnceThroughAScaleUp() {
    long grace = 15 * SECOND;
    List<Shard> shards = twoShards(grace);

    assertThat(scaleUp(grace, shards)).containsOnly((double) STEPS);
    int moved = 0;
    for (int metric = 0; metric < METRICS; metric++) {
      if (SeriesShards.owner("default", metric(metric), 2)
          != SeriesShards.owner("default", metric(metric), 3)) {
        moved++;
      }
    }
    assertThat(moved).as("metrics that moved to the new shard").isBetween(10, 30);
    assertThat(shards.stream().mapToInt(s -> s.committed).sum()).isEqualTo(METRICS * STEPS);
    assertThat(shards.get(2).committed).isPositive();
    assertThat(shards.get(2).notOwner).as("refused while handing over").isPositive();
    assertThat(shards.get(1).notOwner).as("refused by the old owner").isPositive();
  }

  @Test
  void withoutTheGraceTheSameRunLosesDeltas() {
    List<Shard> shards = twoShards(0);

    assertThat(scaleUp(0, shards)).anySatisfy(value -> assertThat(value).isLessThan(STEPS));
  }

  @Test
  void aBatchWithAMetricOfAnotherShardIsRefusedWholeAndStoresNothing() {
    clock.set(START);
    Shard zero = new Shard(0, 2, 0);
    String mine = null;
    String theirs = null;
    for (int i = 0; mine == null || theirs == null; i++) {
      if (SeriesShards.owner("default", metric(i), 2) == 0) {
        mine = metric(i);
      } else {
        theirs = metric(i);
      }
    }
    WriteRequest mixed =
        batch(
            1,
            "default",
            Points.gauge(mine, 1, T0 + SECOND),
            Points.gauge(theirs, 2, T0 + SECOND),
            Points.gauge(mine, 3, T0 + 2 * SECOND));

    Ack ack = zero.writer.write(Principal.LOCAL, mixed).await().atMost(Duration.ofSeconds(10));

    assertThat(ack.getStatus()).isEqualTo(AckStatus.ACK_STATUS_NOT_OWNER);
    assertThat(ack.getShardCount()).isEqualTo(2);
    assertThat(ack.getRejectedPoints()).isEqualTo(3);
    assertThat(ack.getErrorMessage())
        .isEqualTo(
            "not_owner: metric '"
                + theirs
                + "' of tenant 'default' belongs to another shard (this is shard 0 of 2); retry");
    long id = MetricSeries.idOf("default", mine, Labels.empty());
    assertThat(
            store
                .metrics()
                .latestPoints("default", List.of(id))
                .await()
                .atMost(Duration.ofSeconds(10)))
        .isEmpty();
  }

  @Test
  void theOnlyShardWritesEverythingAndAStartingShardAmongOthersWaits() {
    clock.set(START);
    Shard only = new Shard(0, 1, 10 * SECOND);
    Shard starting = new Shard(0, 2, 10 * SECOND);
    String mine = null;
    for (int i = 0; mine == null; i++) {
      if (SeriesShards.owner("default", metric(i), 2) == 0) {
        mine = metric(i);
      }
    }
    assertThat(only.write(batch(1, "default", Points.gauge(mine, 1, T0 + SECOND)))).isTrue();

    Ack waiting =
        starting
            .writer
            .write(Principal.LOCAL, batch(2, "default", Points.gauge(mine, 1, T0 + SECOND)))
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(waiting.getStatus()).isEqualTo(AckStatus.ACK_STATUS_NOT_OWNER);
    assertThat(waiting.getErrorMessage()).startsWith("handing_over: metric '" + mine + "'");

    clock.addAndGet(10 * SECOND);
    assertThat(starting.write(batch(3, "default", Points.gauge(mine, 2, T0 + 2 * SECOND))))
        .isTrue();
  }
}
