package dev.sextant.aggregator.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.aggregator.sharding.ShardGate.Decision;
import dev.sextant.model.SeriesShards;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The hand-over rules of {@link ShardGate} one by one. The whole scale-up (2 to 3 shards while two
 * ingest replicas keep sending delta counters, everyone learning the new count at a different step)
 * runs through the real writers in {@code dev.sextant.aggregator.ShardedBatchWriterTest}.
 */
class RebalancingTest {
  private static final long STEP = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong();

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
