package dev.sextant.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RunStatus;
import dev.sextant.storage.sqlite.SqliteStorage;
import dev.sextant.storage.testkit.LogBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two retention instances over one SQLite data directory, as two pods sharing the files would be:
 * the lease keeps their runs apart, one resumes what the other left when it froze, and a size cap
 * makes the file really shrink.
 */
class SqliteRetentionRunnerTest {
  private static final Instant NOW = FakeClock.START;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  private final FakeClock clock = new FakeClock();
  private final RetentionMetrics metrics = new RetentionMetrics(new SimpleMeterRegistry());
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private SqliteStorage sqlite() {
    return SqliteStorage.builder().dataDir(dataDir).deleteBatchRows(500).build();
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  private RetentionRunner runner(StorageComponent storage, String instance) {
    return open(new RetentionRunner(storage, clock, TestConfig.of(instance), metrics));
  }

  private static void logs(StorageComponent storage, String tenant, Instant from, int count) {
    List<LogRecord> logs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      logs.add(
          LogBuilder.log(tenant, UnixNanos.of(from.plusSeconds(i)))
              .service("api")
              .body("handled request " + "y".repeat(800) + i)
              .build());
    }
    storage.logs().write(logs).await().atMost(WAIT);
  }

  private static int count(StorageComponent storage, String tenant) {
    return storage
        .logs()
        .search(LogQuery.all(tenant, LogQuery.MAX_LIMIT))
        .await()
        .atMost(WAIT)
        .size();
  }

  private static RetentionRun finish(RetentionRunner.Triggered triggered) {
    return ((RetentionRunner.Started) triggered).finished().await().atMost(WAIT);
  }

  @Test
  void twoInstancesShareTheLeaseAndOneResumesTheRunTheOtherLeft() throws Exception {
    GatedStorage first = open(new GatedStorage(sqlite()));
    SqliteStorage second = open(sqlite());
    second.start();
    Instant old = NOW.minus(Duration.ofDays(10));
    logs(first, "acme", old, 1_000);
    logs(first, "globex", old, 1_000);
    logs(first, "globex", NOW.minus(Duration.ofDays(1)), 10);
    first
        .retention()
        .savePolicy(
            new RetentionPolicy(
                "logs",
                RetentionPolicy.ALL_TENANTS,
                RetentionSignal.LOGS,
                RetentionSelector.ANY,
                Duration.ofDays(7),
                0,
                "0 7 * * * ?",
                true,
                1,
                UnixNanos.of(NOW)))
        .await()
        .atMost(WAIT);
    RetentionRunner one = runner(first, "pod-1");
    RetentionRunner two = runner(second, "pod-2");
    first.hold("globex");

    RetentionRunner.Triggered stalled =
        one.trigger("logs", RunTrigger.SCHEDULE, null).await().atMost(WAIT);
    first.arrival("globex").get(30, TimeUnit.SECONDS);
    assertThat(two.trigger("logs", RunTrigger.SCHEDULE, null).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            RetentionRunner.Busy.class, busy -> assertThat(busy.holder()).isEqualTo("pod-1"));

    clock.set(NOW.plus(Duration.ofMinutes(5)));
    RetentionRun resumed =
        finish(two.trigger("logs", RunTrigger.RESUME, null).await().atMost(WAIT));

    assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(resumed.owner()).isEqualTo("pod-2");
    assertThat(resumed.tasks()).extracting(RetentionTask::rows).containsExactly(1_000L, 1_000L);
    assertThat(first.deletesOf("acme")).isEqualTo(1);
    assertThat(count(second, "acme")).isZero();
    assertThat(count(second, "globex")).isEqualTo(10);
    first.release("globex");
    assertThat(((RetentionRunner.Started) stalled).finished().await().atMost(WAIT).status())
        .isEqualTo(RunStatus.INTERRUPTED);
    assertThat(second.retention().runs("logs", 5).await().atMost(WAIT)).containsExactly(resumed);
  }

  @Test
  void aSizeCapDeletesTheOldestHoursAndTheFileShrinks() throws Exception {
    SqliteStorage storage = sqlite();
    storage.start();
    for (int hour = 0; hour < 20; hour++) {
      logs(storage, "acme", NOW.minus(Duration.ofHours(hour + 1)), 500);
    }
    storage
        .retention()
        .savePolicy(
            new RetentionPolicy(
                "capped",
                "acme",
                RetentionSignal.LOGS,
                RetentionSelector.ANY,
                Duration.ofDays(30),
                2_000_000,
                "0 7 * * * ?",
                true,
                1,
                UnixNanos.of(NOW)))
        .await()
        .atMost(WAIT);
    storage.close();
    long before = Files.size(dataDir.resolve("logs.db"));
    storage = open(sqlite());
    storage.start();

    RetentionRun run =
        finish(
            runner(storage, "pod-1")
                .trigger("capped", RunTrigger.MANUAL, null)
                .await()
                .atMost(WAIT));
    long sizeAfter = storage.retention().size(RetentionSignal.LOGS).await().atMost(WAIT).bytes();
    int left = count(storage, "acme");
    storage.close();
    long after = Files.size(dataDir.resolve("logs.db"));

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.tasks()).filteredOn(t -> t.kind() == RetentionTask.Kind.SIZE).isNotEmpty();
    assertThat(sizeAfter).isLessThanOrEqualTo(2_000_000);
    assertThat(left).isLessThan(20 * 500).isPositive();
    assertThat(after).isLessThan(before / 3);
    System.out.printf(
        "size cap: %d of %d logs kept, file %d -> %d bytes (cap 2,000,000)%n",
        left, 20 * 500, before, after);
  }
}
