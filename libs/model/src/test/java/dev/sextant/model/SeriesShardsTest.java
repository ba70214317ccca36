package dev.sextant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeriesShardsTest {
  @Test
  void oneShardOwnsEverything() {
    assertThat(SeriesShards.owner("acme", "tokens", 1)).isZero();
  }

  @Test
  void stableAndSpreadEvenly() {
    int[] counts = new int[4];
    for (int i = 0; i < 4000; i++) {
      int owner = SeriesShards.owner("acme", "metric_" + i, 4);
      assertThat(SeriesShards.owner("acme", "metric_" + i, 4)).isEqualTo(owner);
      counts[owner]++;
    }
    for (int count : counts) {
      assertThat(count).isBetween(850, 1150);
    }
    // Pinned: a change of the hash would reshuffle every running installation's shards.
    assertThat(SeriesShards.jump(0L, 10)).isZero();
    assertThat(SeriesShards.owner("acme", "gen_ai.client.token.usage", 7))
        .isEqualTo(
            SeriesShards.jump(
                MetricSeries.idOf("acme", "gen_ai.client.token.usage", Labels.empty()), 7));
  }

  @Test
  void growingMovesOnlyToTheNewShard() {
    int moved = 0;
    for (int i = 0; i < 3000; i++) {
      int before = SeriesShards.owner("t" + (i % 3), "m" + i, 3);
      int after = SeriesShards.owner("t" + (i % 3), "m" + i, 4);
      if (before != after) {
        assertThat(after).isEqualTo(3);
        moved++;
      }
    }
    assertThat(moved).isBetween(600, 900); // about a quarter
  }

  @Test
  void refusesNoShards() {
    assertThatThrownBy(() -> SeriesShards.owner("acme", "m", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
