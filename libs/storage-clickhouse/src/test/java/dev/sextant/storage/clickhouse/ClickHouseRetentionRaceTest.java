package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.testkit.ChdbServer;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retention book's compare-and-set without Keeper (ADR 0013): instances that change one lease
 * or one policy from the same state at the same moment, each through a storage of its own, leave
 * exactly one winner, and each is told truly whether it won.
 */
class ClickHouseRetentionRaceTest {
  private static final int INSTANCES = 6;
  private static final long TTL = Duration.ofSeconds(30).toNanos();

  private static final List<ClickHouseStorage> storages = new ArrayList<>();
  private static ExecutorService pool;

  @BeforeAll
  static void open() {
    String database = "race_" + ProcessHandle.current().pid();
    for (int i = 0; i < INSTANCES; i++) {
      ClickHouseStorage storage =
          ClickHouseStorage.builder()
              .endpoint(ChdbServer.shared().endpoint())
              .database(database)
              .build();
      storage.start();
      storages.add(storage);
    }
    pool = Executors.newFixedThreadPool(INSTANCES);
  }

  @AfterAll
  static void close() {
    pool.shutdownNow();
    storages.forEach(ClickHouseStorage::close);
  }

  /** Runs one call per instance at once; their answers in instance order. */
  private static <T> List<T> race(java.util.function.IntFunction<Uni<T>> call) throws Exception {
    List<Callable<T>> calls = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      int instance = i;
      calls.add(() -> call.apply(instance).await().atMost(Duration.ofSeconds(60)));
    }
    List<T> answers = new ArrayList<>();
    for (Future<T> answer : pool.invokeAll(calls)) {
      answers.add(answer.get());
    }
    return answers;
  }

  @Test
  void ofOwnersTakingOneLeaseAtOnceExactlyOneGetsIt() throws Exception {
    long now = 1_767_225_600_000_000_000L;
    for (int round = 0; round < 5; round++) {
      String name = "policy:race-" + round;
      long at = now + round;
      List<Optional<Lease>> granted =
          race(i -> storages.get(i).retention().acquireLease(name, "owner-" + i, at, TTL));
      List<Lease> winners = granted.stream().flatMap(Optional::stream).toList();
      assertThat(winners).as("round %d", round).hasSize(1);
      assertThat(storages.getFirst().retention().lease(name).await().indefinitely())
          .contains(winners.getFirst());

      // Once it expired, the others race to take it over: again one, with a new token.
      long later = at + TTL;
      List<Optional<Lease>> takeover =
          race(i -> storages.get(i).retention().acquireLease(name, "other-" + i, later, TTL));
      List<Lease> taken = takeover.stream().flatMap(Optional::stream).toList();
      assertThat(taken).hasSize(1);
      assertThat(taken.getFirst().token()).isGreaterThan(winners.getFirst().token());
      assertThat(
              storages
                  .getFirst()
                  .retention()
                  .renewLease(winners.getFirst(), later + 1, TTL)
                  .await()
                  .indefinitely())
          .as("the first owner is fenced")
          .isFalse();
    }
  }

  @Test
  void ofEditsOfOnePolicyFromOneVersionExactlyOneIsStored() throws Exception {
    for (int round = 0; round < 5; round++) {
      String id = "race-" + round;
      List<Boolean> saved =
          race(
              i ->
                  storages
                      .get(i)
                      .retention()
                      .savePolicy(
                          new RetentionPolicy(
                              id,
                              "tenant-" + i,
                              RetentionSignal.LOGS,
                              RetentionSelector.ANY,
                              Duration.ofDays(1 + i),
                              0,
                              "0 7 * * * ?",
                              true,
                              1,
                              i)));
      assertThat(saved.stream().filter(Boolean::booleanValue).count())
          .as("round %d", round)
          .isOne();
      int winner = saved.indexOf(true);
      List<RetentionPolicy> stored =
          storages.getFirst().retention().policies().await().indefinitely().stream()
              .filter(p -> p.id().equals(id))
              .toList();
      assertThat(stored).hasSize(1);
      assertThat(stored.getFirst().tenant()).isEqualTo("tenant-" + winner);
    }
  }
}
