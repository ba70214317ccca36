package dev.sextant.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.retention.RetentionTask.Kind;
import dev.sextant.storage.retention.RetentionTask.State;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping every backend's {@code saveTask} shares; the conformance suite runs it stored.
 */
class RetentionRunTest {
  private static final RetentionRun RUN =
      new RetentionRun(
          "r1",
          "p1",
          "manual",
          "instance-a",
          RunStatus.RUNNING,
          100,
          0,
          "fp",
          100,
          0,
          "",
          List.of(
              task("acme", RetentionSignal.SPANS, Kind.AGE, State.PENDING, 0),
              task("acme", RetentionSignal.LOGS, Kind.AGE, State.PENDING, 0)));

  private static RetentionTask task(
      String tenant, RetentionSignal signal, Kind kind, State state, long rows) {
    return new RetentionTask(tenant, signal, kind, state, 50, rows, rows * 10, "");
  }

  @Test
  void aTaskOfTheSameStepReplacesItInPlace() {
    RetentionTask done = task("acme", RetentionSignal.SPANS, Kind.AGE, State.DONE, 7);

    RetentionRun recorded = RUN.withTask(done);

    assertThat(recorded.tasks()).containsExactly(done, RUN.tasks().get(1));
    assertThat(recorded.withTasks(RUN.tasks())).isEqualTo(RUN);
    assertThat(RUN.tasks().getFirst().state()).isEqualTo(State.PENDING); // the run is a value
  }

  @Test
  void aTaskOfAnotherStepComesLast() {
    RetentionTask otherTenant = task("globex", RetentionSignal.SPANS, Kind.AGE, State.DONE, 1);
    RetentionTask bySize = task("acme", RetentionSignal.SPANS, Kind.SIZE, State.DONE, 2);

    RetentionRun recorded = RUN.withTask(otherTenant).withTask(bySize);

    assertThat(recorded.tasks())
        .containsExactly(RUN.tasks().get(0), RUN.tasks().get(1), otherTenant, bySize);
  }

  @Test
  void aRunChangesStateKeepingItsPlanAndTasks() {
    RetentionRun failed = RUN.withState(RunStatus.FAILED, "instance-b", 200, "spans of acme: x");

    assertThat(failed)
        .isEqualTo(
            new RetentionRun(
                "r1",
                "p1",
                "manual",
                "instance-b",
                RunStatus.FAILED,
                100,
                0,
                "fp",
                100,
                200,
                "spans of acme: x",
                RUN.tasks()));
  }

  @Test
  void maxAgeBeyondWhatNanosecondsHoldIsTheLargestLong() {
    RetentionPolicy day = policy(Duration.ofDays(1));
    RetentionPolicy forever = policy(Duration.ofDays(365L * 1000));

    assertThat(day.maxAgeNanos()).isEqualTo(86_400_000_000_000L);
    assertThat(forever.maxAgeNanos()).isEqualTo(Long.MAX_VALUE);
  }

  private static RetentionPolicy policy(Duration maxAge) {
    return new RetentionPolicy(
        "p1", "acme", RetentionSignal.SPANS, null, maxAge, 0, "0 0 3 * * ?", true, 1, 0);
  }
}
