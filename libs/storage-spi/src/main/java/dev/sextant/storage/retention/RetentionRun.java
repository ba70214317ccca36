package dev.sextant.storage.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One run of one policy, as stored: recorded when it starts, and again as each task finishes, so
 * the history survives restarts and a crashed run can be resumed.
 *
 * @param id unique
 * @param policyId the policy it applies
 * @param trigger what started it ({@code schedule}, {@code manual}, {@code startup}, ...)
 * @param owner the retention instance running it
 * @param planUnixNanos the time its age cutoffs come from (a resumed run keeps it)
 * @param scheduledForUnixNanos the schedule firing it serves, 0 when not started by the schedule:
 *     one run per firing, however many instances fire
 * @param planFingerprint the state of the policies its plan came from; a crashed run is resumed
 *     only if they have not changed since
 * @param finishedUnixNanos 0 while running
 * @param error empty unless a task failed
 */
public record RetentionRun(
    String id,
    String policyId,
    String trigger,
    String owner,
    RunStatus status,
    long planUnixNanos,
    long scheduledForUnixNanos,
    String planFingerprint,
    long startedUnixNanos,
    long finishedUnixNanos,
    String error,
    List<RetentionTask> tasks) {

  public RetentionRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(status, "status");
    planFingerprint = planFingerprint == null ? "" : planFingerprint;
    error = error == null ? "" : error;
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }

  /** The same run in another state: resumed by another owner, or finished. */
  public RetentionRun withState(
      RunStatus newStatus, String newOwner, long newFinishedUnixNanos, String newError) {
    return new RetentionRun(
        id,
        policyId,
        trigger,
        newOwner,
        newStatus,
        planUnixNanos,
        scheduledForUnixNanos,
        planFingerprint,
        startedUnixNanos,
        newFinishedUnixNanos,
        newError,
        tasks);
  }

  /** The same run with other tasks. */
  public RetentionRun withTasks(List<RetentionTask> newTasks) {
    return new RetentionRun(
        id,
        policyId,
        trigger,
        owner,
        status,
        planUnixNanos,
        scheduledForUnixNanos,
        planFingerprint,
        startedUnixNanos,
        finishedUnixNanos,
        error,
        newTasks);
  }

  /**
   * The same run with the task recorded: it replaces the run's task of the same step, or comes last
   * ({@link RetentionStore#saveTask}).
   */
  public RetentionRun withTask(RetentionTask task) {
    List<RetentionTask> recorded = new ArrayList<>(tasks);
    RetentionTask.record(recorded, task);
    return withTasks(recorded);
  }
}
