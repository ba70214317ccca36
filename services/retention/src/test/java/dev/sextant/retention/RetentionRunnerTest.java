package dev.sextant.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner against a store whose deletes the test answers, and a clock the test moves. */
class RetentionRunnerTest {
  private static final Instant NOW = FakeClock.START;

  private final FakeClock clock = new FakeClock();
  private final ControlledStorage storage = new ControlledStorage();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void cutoffsComeFromTheClockAndThePolicy() {
    RetentionRunner runner = runner(TestConfig.defaults());
    RetentionRunner.Started started = (RetentionRunner.Started) runner.trigger(RunTrigger.MANUAL);
    finishAll(3, 4, 5);

    RetentionRun run = started.finished().await().atMost(Duration.ofSeconds(5));
    assertThat(run.cutoffs())
        .isEqualTo(
            Map.of(
                Signal.SPANS, Instant.parse("2026-02-22T00:00:00Z"),
                Signal.LOGS, Instant.parse("2026-02-22T00:00:00Z"),
                Signal.METRIC_POINTS, Instant.parse("2026-01-30T00:00:00Z")));
    assertThat(storage.cutoff(Signal.SPANS)).isEqualTo(1_771_718_400_000_000_000L);
    assertThat(storage.cutoff(Signal.LOGS)).isEqualTo(1_771_718_400_000_000_000L);
    assertThat(storage.cutoff(Signal.METRIC_POINTS)).isEqualTo(1_769_731_200_000_000_000L);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.deleted())
        .isEqualTo(Map.of(Signal.SPANS, 3L, Signal.LOGS, 4L, Signal.METRIC_POINTS, 5L));
    assertThat(run.error()).isEmpty();
    assertThat(run.started()).isEqualTo(NOW);
  }

  @Test
  void aMaxAgeReachingBefore1970CutsAtTheEpoch() {
    RetentionRunner runner =
        runner(TestConfig.defaults().withSpansMaxAge(Duration.ofDays(365L * 1000)));
    runner.trigger(RunTrigger.MANUAL);
    assertThat(storage.cutoff(Signal.SPANS)).isZero();
  }

  @Test
  void oneRunAtATimeAndASecondTriggerGetsTheRunningOne() {
    RetentionRunner runner = runner(TestConfig.defaults());
    RetentionRunner.Started first = (RetentionRunner.Started) runner.trigger(RunTrigger.SCHEDULE);

    RetentionRunner.Triggered second = runner.trigger(RunTrigger.MANUAL);

    assertThat(second).isInstanceOf(RetentionRunner.AlreadyRunning.class);
    RetentionRun running = ((RetentionRunner.AlreadyRunning) second).running();
    assertThat(running.id()).isEqualTo(first.run().id());
    assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(running.trigger()).isEqualTo(RunTrigger.SCHEDULE);
    assertThat(runner.runs(10)).containsExactly(running);
    assertThat(count("sextant.retention.runs", "trigger", "manual", "outcome", "skipped"))
        .isEqualTo(1);
    assertThat(gauge("sextant.retention.running")).isEqualTo(1);

    finishAll(1, 1, 1);
    RetentionRun finished = first.finished().await().atMost(Duration.ofSeconds(5));

    RetentionRunner.Triggered third = runner.trigger(RunTrigger.MANUAL);
    assertThat(third).isInstanceOf(RetentionRunner.Started.class);
    assertThat(((RetentionRunner.Started) third).run().id()).isEqualTo(finished.id() + 1);
    assertThat(runner.runs(10).stream().map(RetentionRun::id))
        .containsExactly(finished.id() + 1, finished.id());
  }

  @Test
  void aFailingSignalIsRecordedAndTheOthersAreStillCleaned() {
    storage.answer(
        Signal.LOGS,
        cutoff ->
            Uni.createFrom()
                .failure(
                    new StorageException(StorageException.Code.UNAVAILABLE, "logs.db is locked")));
    storage.answer(Signal.SPANS, cutoff -> Uni.createFrom().item(2L));
    storage.answer(
        Signal.METRIC_POINTS,
        cutoff -> {
          throw new IllegalStateException("a backend bug");
        });
    RetentionRunner runner = runner(TestConfig.defaults());

    RetentionRun run =
        ((RetentionRunner.Started) runner.trigger(RunTrigger.SCHEDULE))
            .finished()
            .await()
            .atMost(Duration.ofSeconds(5));

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).isEqualTo("logs: logs.db is locked; metric_points: a backend bug");
    assertThat(run.deleted()).isEqualTo(Map.of(Signal.SPANS, 2L));
    assertThat(count("sextant.retention.runs", "trigger", "schedule", "outcome", "failed"))
        .isEqualTo(1);
    assertThat(count("sextant.retention.rows.deleted", "signal", "spans")).isEqualTo(2);
    assertThat(gauge("sextant.retention.last.success.timestamp")).isZero();
    assertThat(gauge("sextant.retention.running")).isZero();
  }

  @Test
  void aStoreThatNeverAnswersFailsTheRunAfterTheTimeoutAndFreesTheNextOne() {
    storage.answer(Signal.SPANS, cutoff -> Uni.createFrom().nothing());
    storage.answer(Signal.LOGS, cutoff -> Uni.createFrom().item(1L));
    storage.answer(Signal.METRIC_POINTS, cutoff -> Uni.createFrom().item(1L));
    RetentionRunner runner = runner(TestConfig.defaults().withDeleteTimeout(Duration.ofMillis(50)));

    RetentionRun run =
        ((RetentionRunner.Started) runner.trigger(RunTrigger.MANUAL))
            .finished()
            .await()
            .atMost(Duration.ofSeconds(5));

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.error()).isEqualTo("spans: the store did not finish deleting within PT0.05S");
    assertThat(runner.trigger(RunTrigger.MANUAL)).isInstanceOf(RetentionRunner.Started.class);
  }

  @Test
  void aSuccessfulRunIsCountedAndStampedWithTheClock() {
    RetentionRunner runner = runner(TestConfig.defaults());
    RetentionRunner.Started started = (RetentionRunner.Started) runner.trigger(RunTrigger.STARTUP);
    clock.set(NOW.plusSeconds(90));
    finishAll(10, 20, 30);
    RetentionRun run = started.finished().await().atMost(Duration.ofSeconds(5));

    assertThat(run.finished()).isEqualTo(NOW.plusSeconds(90));
    assertThat(count("sextant.retention.runs", "trigger", "startup", "outcome", "succeeded"))
        .isEqualTo(1);
    assertThat(count("sextant.retention.rows.deleted", "signal", "logs")).isEqualTo(20);
    assertThat(count("sextant.retention.rows.deleted", "signal", "metric_points")).isEqualTo(30);
    assertThat(gauge("sextant.retention.last.success.timestamp"))
        .isEqualTo(NOW.plusSeconds(90).getEpochSecond());
  }

  @Test
  void theHistoryKeepsTheNewestRuns() {
    for (Signal signal : Signal.values()) {
      storage.answer(signal, cutoff -> Uni.createFrom().item(0L));
    }
    RetentionRunner runner = runner(TestConfig.defaults().withHistorySize(3));
    for (int i = 0; i < 5; i++) {
      ((RetentionRunner.Started) runner.trigger(RunTrigger.MANUAL))
          .finished()
          .await()
          .atMost(Duration.ofSeconds(5));
    }
    assertThat(runner.runs(100).stream().map(RetentionRun::id)).containsExactly(5L, 4L, 3L);
    assertThat(runner.runs(2).stream().map(RetentionRun::id)).containsExactly(5L, 4L);
  }

  @Test
  void aPolicyThatWouldDeleteEverythingIsRefused() {
    assertThatThrownBy(() -> runner(TestConfig.defaults().withSpansMaxAge(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the retention max age of spans must be positive, got PT0S");
    assertThatThrownBy(() -> runner(TestConfig.defaults().withHistorySize(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sextant.retention.history-size must be >= 1, got 0");
    assertThatThrownBy(() -> runner(TestConfig.defaults().withDeleteTimeout(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sextant.retention.delete-timeout must be positive");
  }

  private RetentionRunner runner(TestConfig config) {
    return new RetentionRunner(storage, clock, config, new RetentionMetrics(registry));
  }

  /** Answers the deletes in order; each is asked for only once the previous one finished. */
  private void finishAll(long spans, long logs, long metricPoints) {
    storage.complete(Signal.SPANS, spans);
    storage.complete(Signal.LOGS, logs);
    storage.complete(Signal.METRIC_POINTS, metricPoints);
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }
}
