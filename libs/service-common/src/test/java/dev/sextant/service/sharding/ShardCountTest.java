package dev.sextant.service.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardCountTest {
  @TempDir Path dir;

  @Test
  void aFixedCountIsCheckedAtStartup() {
    assertThat(ShardCount.open(Optional.empty(), 1, "x.count").current()).isEqualTo(1);
    assertThatThrownBy(() -> ShardCount.open(Optional.empty(), 0, "x.count"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x.count = 0: the shard count must be within 1..1024");
    assertThatThrownBy(() -> ShardCount.open(Optional.empty(), -2, "x.count"))
        .hasMessage("x.count = -2: the shard count must be within 1..1024");
  }

  @Test
  void aBadOrMissingFileFailsAtStartupNamingTheFile() throws IOException {
    Path file = dir.resolve("count");
    assertThatThrownBy(() -> ShardCount.open(Optional.of(file), 1, "x.count"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("shard count file " + file + " cannot be read");
    Files.writeString(file, "three\n");
    assertThatThrownBy(() -> ShardCount.open(Optional.of(file), 1, "x.count"))
        .hasMessage("shard count file " + file + " holds 'three', not a whole number");
    Files.writeString(file, "0");
    assertThatThrownBy(() -> ShardCount.open(Optional.of(file), 1, "x.count"))
        .hasMessage(
            "shard count file " + file + " holds 0: the shard count must be within 1..1024");
  }

  @Test
  void theFileWinsOverTheFixedCountAndIsReadAgainOnEachPoll() throws IOException {
    Path file = dir.resolve("count");
    Files.writeString(file, " 3\n");
    ShardCount count = ShardCount.open(Optional.of(file), 1, "x.count");
    List<Integer> changes = new ArrayList<>();
    count.watch(Duration.ofHours(1), changes::add);
    try {
      assertThat(count.current()).isEqualTo(3);
      assertThat(count.poll()).isEqualTo(3);
      Files.writeString(file, "4");
      assertThat(count.poll()).isEqualTo(4);
      assertThat(count.poll()).isEqualTo(4);
      assertThat(changes).containsExactly(4);
    } finally {
      count.close();
    }
  }

  @Test
  void aFileThatGoesBadAtRuntimeKeepsTheLastGoodCount() throws IOException {
    Path file = dir.resolve("count");
    Files.writeString(file, "2");
    ShardCount count = ShardCount.open(Optional.of(file), 1, "x.count");
    List<Integer> changes = new ArrayList<>();
    count.watch(Duration.ofHours(1), changes::add);
    try {
      Files.writeString(file, "-1");
      assertThat(count.poll()).isEqualTo(2);
      Files.writeString(file, "");
      assertThat(count.poll()).isEqualTo(2);
      Files.delete(file);
      assertThat(count.poll()).isEqualTo(2);
      Files.writeString(file, "5");
      assertThat(count.poll()).isEqualTo(5);
      assertThat(changes).containsExactly(5);
    } finally {
      count.close();
    }
  }
}
