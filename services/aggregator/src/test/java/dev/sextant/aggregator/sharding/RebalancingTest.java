package dev.sextant.aggregator.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.aggregator.sharding.ShardGate.Decision;
import dev.sextant.aggregator.temporality.DeltaToCumulative;
import dev.sextant.aggregator.temporality.DeltaToCumulative.Delta;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SeriesShards;
import dev.sextant.model.Temporality;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Scaling the aggregator from 2 to 3 shards while two ingest replicas keep sending delta counters,
 * in process: the shards and ingest learn the new count at different steps, a refused batch is
 * retried by its sender, and at the end every series' cumulative value is the sum of every delta
 * sent. Without the hand-over grace the same run loses deltas, which shows the test has teeth.
 */
class RebalancingTest {
  private static final long STEP = 1_000_000_000L;
  private static final int METRICS = 60;
  private static final int STEPS = 200;

  /** When the run starts: the two shards have been up longer than their startup grace. */
  private static final long START = 1000 * STEP;

  /** The store every shard writes to and reads latest points from. */
  private final Map<Long, MetricPoint> store = new ConcurrentHashMap<>();

  private final AtomicLong clock = new AtomicLong();

  /** One aggregator replica: its gate and its running sums. */
  private final class Shard {
    final ShardGate gate;
    // The default late tolerance (5m): retries reorder a series' deltas that came through
    // different ingest replicas, and a late one is added to the running sum.
    final DeltaToCumulative sums =
        new DeltaToCumulative(100_000, Duration.ofMinutes(5).toNanos(), Long.MAX_VALUE, clock::get);
    int accepted;
    int refused;

    Shard(int ordinal, int count, long grace) {
      gate = new ShardGate(ordinal, count, grace, clock::get);
    }

    void reconfigure(int count) {
      if (gate.reconfigure(count)) {
        sums.forgetAll();
      }
    }

    /** One single-metric batch; true when committed. */
    boolean write(Delta delta) {
      if (gate.admit(delta.series().tenant(), delta.series().name()) != Decision.OWNED) {
        refused++;
        return false;
      }
      sums.run(
              List.of(delta),
              (tenant, ids) -> {
                Map<Long, MetricPoint> found = new HashMap<>();
                ids.forEach(
                    id -> {
                      if (store.containsKey(id)) {
                        found.put(id, store.get(id));
                      }
                    });
                return Uni.createFrom().item(found);
              },
              outcome -> {
                for (MetricWrite write : outcome.writes()) {
                  store.merge(
                      write.series().id(),
                      write.point(),
                      (old, next) -> next.timeUnixNanos() >= old.timeUnixNanos() ? next : old);
                }
                return Uni.createFrom().voidItem();
              })
          .await()
          .atMost(Duration.ofSeconds(5));
      accepted++;
      return true;
    }
  }

  /** One ingest replica: its view of the shard count and its retry queue, in order. */
  private static final class Ingest {
    int count = 2;
    final Deque<Delta> retries = new ArrayDeque<>();
  }

  private static MetricSeries series(int metric) {
    return new MetricSeries(
        "acme",
        "metric_" + metric,
        Labels.of("job", "agent"),
        MetricType.COUNTER,
        Temporality.DELTA,
        "1",
        "");
  }

  /** Runs the scale-up; returns the cumulative value stored per metric. */
  private Map<Integer, Double> scaleUp(long grace, List<Shard> shards) {
    Ingest a = new Ingest();
    Ingest b = new Ingest();
    for (int step = 1; step <= STEPS; step++) {
      clock.set(START + step * STEP);
      // The change reaches everyone at different steps: the new shard starts at 80, shard 0 sees
      // it at 80, ingest A at 81, shard 1 at 88, ingest B at 90.
      if (step == 80) {
        shards.add(new Shard(2, 3, grace));
        shards.get(0).reconfigure(3);
      }
      if (step == 81) {
        a.count = 3;
      }
      if (step == 88) {
        shards.get(1).reconfigure(3);
      }
      if (step == 90) {
        b.count = 3;
      }
      for (Ingest ingest : List.of(a, b)) {
        // Retries first, in order; a series with a retry waiting waits behind it.
        int waiting = ingest.retries.size();
        for (int i = 0; i < waiting; i++) {
          Delta delta = ingest.retries.removeFirst();
          if (!send(ingest, delta, shards)) {
            ingest.retries.addLast(delta);
          }
        }
      }
      for (int metric = 0; metric < METRICS; metric++) {
        // Each series' deltas reach ingest A or B, alternately, as behind a load balancer.
        Ingest ingest = (step + metric) % 2 == 0 ? a : b;
        Delta delta =
            new Delta(series(metric), new NumberPoint((step - 1) * STEP, step * STEP, 1), false);
        boolean queued =
            ingest.retries.stream().anyMatch(d -> d.series().id() == delta.series().id());
        if (queued || !send(ingest, delta, shards)) {
          ingest.retries.addLast(delta);
        }
      }
    }
    // Drain the retries once everyone has the new count.
    clock.addAndGet(grace + STEP);
    for (Ingest ingest : List.of(a, b)) {
      while (!ingest.retries.isEmpty()) {
        assertThat(send(ingest, ingest.retries.removeFirst(), shards)).isTrue();
      }
    }
    Map<Integer, Double> values = new HashMap<>();
    for (int metric = 0; metric < METRICS; metric++) {
      values.put(metric, ((NumberPoint) store.get(series(metric).id())).value());
    }
    return values;
  }

  private static boolean send(Ingest ingest, Delta delta, List<Shard> shards) {
    int owner = SeriesShards.owner("acme", delta.series().name(), ingest.count);
    return owner < shards.size() && shards.get(owner).write(delta);
  }

  private List<Shard> twoShards(long grace) {
    List<Shard> shards = new ArrayList<>();
    shards.add(new Shard(0, 2, grace));
    shards.add(new Shard(1, 2, grace));
    return shards;
  }

  @Test
  void noDeltaIsLostOrCountedTwiceWhenAShardIsAdded() {
    long grace = 15 * STEP;
    List<Shard> shards = twoShards(grace);
    Map<Integer, Double> values = scaleUp(grace, shards);

    assertThat(values.values()).containsOnly((double) STEPS);
    int moved = 0;
    for (int metric = 0; metric < METRICS; metric++) {
      if (SeriesShards.owner("acme", "metric_" + metric, 2)
          != SeriesShards.owner("acme", "metric_" + metric, 3)) {
        moved++;
      }
    }
    assertThat(moved).as("metrics that moved to the new shard").isBetween(10, 30);
    assertThat(shards.get(2).accepted).isGreaterThan(0);
    assertThat(shards.get(2).refused).as("refused during the hand-over").isGreaterThan(0);
    assertThat(shards.get(1).refused)
        .as("old owner refusing after it saw the change")
        .isGreaterThan(0);
    assertThat(shards.stream().mapToInt(s -> s.accepted).sum()).isEqualTo(METRICS * STEPS);
  }

  @Test
  void withoutTheGraceTwoShardsSumOneSeriesAndDeltasAreLost() {
    List<Shard> shards = twoShards(0);
    Map<Integer, Double> values = scaleUp(0, shards);

    assertThat(values.values()).anySatisfy(v -> assertThat(v).isLessThan(STEPS));
  }

  @Test
  void aMetricOwnedBeforeAndAfterIsNeverPaused() {
    ShardGate gate = new ShardGate(0, 2, 10 * STEP, clock::get);
    clock.set(10 * STEP);
    String kept = null;
    String gained = null;
    for (int i = 0; kept == null || gained == null; i++) {
      int before = SeriesShards.owner("acme", "m" + i, 3);
      int after = SeriesShards.owner("acme", "m" + i, 2);
      if (before == 0 && after == 0) {
        kept = "m" + i;
      } else if (before != 0 && after == 0) {
        gained = "m" + i;
      }
    }
    gate.reconfigure(3);
    clock.addAndGet(20 * STEP);
    gate.reconfigure(2); // scaled down again: shard 2's metrics come back to 0 and 1
    assertThat(gate.admit("acme", kept)).isEqualTo(Decision.OWNED);
    assertThat(gate.admit("acme", gained)).isEqualTo(Decision.HANDING_OVER);
    clock.addAndGet(10 * STEP);
    assertThat(gate.admit("acme", gained)).isEqualTo(Decision.OWNED);
  }

  @Test
  void aStartingShardWaitsOneGraceUnlessItIsTheOnlyOne() {
    clock.set(STEP);
    ShardGate second = new ShardGate(1, 2, 10 * STEP, clock::get);
    ShardGate only = new ShardGate(0, 1, 10 * STEP, clock::get);
    String mine = null;
    for (int i = 0; mine == null; i++) {
      if (SeriesShards.owner("acme", "m" + i, 2) == 1) {
        mine = "m" + i;
      }
    }
    assertThat(second.admit("acme", mine)).isEqualTo(Decision.HANDING_OVER);
    assertThat(only.admit("acme", mine)).isEqualTo(Decision.OWNED);
    clock.addAndGet(10 * STEP);
    assertThat(second.admit("acme", mine)).isEqualTo(Decision.OWNED);
  }
}
