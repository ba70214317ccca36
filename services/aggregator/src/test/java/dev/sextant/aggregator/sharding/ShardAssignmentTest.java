package dev.sextant.aggregator.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.aggregator.AggregatorConfig;
import dev.sextant.aggregator.TestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shard and the count as the aggregator reads them at startup. */
class ShardAssignmentTest {
  @TempDir Path dir;

  private static AggregatorConfig.Shard config(Map<String, String> settings) {
    return TestConfig.aggregator(settings).shard();
  }

  @Test
  void unshardedItIsShardZeroOfOneWhateverTheHostName() {
    ShardAssignment assignment = new ShardAssignment(config(Map.of()), Optional.of("build-box-7"));

    assertThat(assignment.gate().ordinal()).isZero();
    assertThat(assignment.gate().count()).isEqualTo(1);
    assertThat(assignment.gate().ownsEverything()).isTrue();
  }

  @Test
  void shardedTheIndexIsTheStatefulSetOrdinalOfTheHostName() throws IOException {
    Path count = Files.writeString(dir.resolve("count"), "3\n");
    ShardAssignment assignment =
        new ShardAssignment(
            config(Map.of("sextant.aggregator.shard.count-file", count.toString())),
            Optional.of("sextant-aggregator-2"));

    assertThat(assignment.gate().ordinal()).isEqualTo(2);
    assertThat(assignment.gate().count()).isEqualTo(3);
    assertThat(assignment.gate().ownsEverything()).isFalse();
  }

  @Test
  void aConfiguredIndexWinsOverTheHostName() {
    ShardAssignment assignment =
        new ShardAssignment(
            config(
                Map.of(
                    "sextant.aggregator.shard.count", "2", "sextant.aggregator.shard.index", "1")),
            Optional.of("sextant-aggregator-0"));

    assertThat(assignment.gate().ordinal()).isEqualTo(1);
  }

  @Test
  void badSettingsFailAtStartupWithTheSettingNamed() {
    assertThatThrownBy(
            () ->
                new ShardAssignment(
                    config(Map.of("sextant.aggregator.shard.count", "0")), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sextant.aggregator.shard.count = 0: the shard count must be within 1..1024");
    assertThatThrownBy(
            () ->
                new ShardAssignment(
                    config(Map.of("sextant.aggregator.shard.count", "2")),
                    Optional.of("aggregator")))
        .hasMessage(
            "sextant.aggregator.shard.index is not set and the host name 'aggregator' does not end"
                + " in a StatefulSet ordinal (-N): set the index of this shard");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(
            () ->
                new ShardAssignment(
                    config(Map.of("sextant.aggregator.shard.count-file", missing.toString())),
                    Optional.of("sextant-aggregator-0")))
        .hasMessageStartingWith("shard count file " + missing + " cannot be read");
    assertThatThrownBy(
            () ->
                new ShardAssignment(
                    config(Map.of("sextant.aggregator.shard.index", "-1")), Optional.empty()))
        .hasMessage("sextant.aggregator.shard.index must be within 0..1023");
    assertThatThrownBy(
            () ->
                new ShardAssignment(
                    config(Map.of("sextant.aggregator.shard.hand-over-grace", "-1s")),
                    Optional.empty()))
        .hasMessage("sextant.aggregator.shard.hand-over-grace must not be negative, got PT-1S");
  }
}
