package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RunStatus;
import java.util.ArrayList;
import java.util.List;

/** A run's tasks as they finish, in memory beside what is recorded in the store. */
final class Progress {
  private final RetentionRun run;
  private final List<RetentionTask> tasks;
  private final List<String> errors = new ArrayList<>();

  Progress(RetentionRun run) {
    this.run = run;
    this.tasks = new ArrayList<>(run.tasks());
  }

  String runId() {
    return run.id();
  }

  /** Adds a planned task the run does not have yet; returns whether it was new. */
  synchronized boolean adopt(RetentionTask planned) {
    for (RetentionTask task : tasks) {
      if (task.sameStep(planned)) {
        return false;
      }
    }
    tasks.add(planned);
    return true;
  }

  /** Replaces the task of the same step, or adds it. */
  synchronized void record(RetentionTask task) {
    RetentionTask.record(tasks, task);
  }

  synchronized List<RetentionTask> pending(RetentionTask.Kind kind) {
    return tasks.stream()
        .filter(t -> t.kind() == kind && t.state() == RetentionTask.State.PENDING)
        .toList();
  }

  synchronized boolean hasKind(RetentionTask.Kind kind) {
    return tasks.stream().anyMatch(t -> t.kind() == kind);
  }

  synchronized long rowsDeleted() {
    return tasks.stream().mapToLong(RetentionTask::rows).sum();
  }

  synchronized void error(String error) {
    errors.add(error);
  }

  /** The run as it finished: failed when a task failed or a last step did. */
  synchronized RetentionRun finish(long nowUnixNanos) {
    List<String> all = new ArrayList<>();
    for (RetentionTask task : tasks) {
      if (task.state() == RetentionTask.State.FAILED) {
        all.add(task.signal().jsonName() + " of " + task.tenant() + ": " + task.note());
      }
    }
    all.addAll(errors);
    return snapshot(
        all.isEmpty() ? RunStatus.SUCCEEDED : RunStatus.FAILED,
        nowUnixNanos,
        String.join("; ", all));
  }

  /** The run as this instance leaves it when it stops early (not recorded: it lost the lease). */
  synchronized RetentionRun interrupted(long nowUnixNanos, String why) {
    return snapshot(RunStatus.INTERRUPTED, nowUnixNanos, why);
  }

  private RetentionRun snapshot(RunStatus status, long finished, String error) {
    return run.withTasks(tasks).withState(status, run.owner(), finished, error);
  }
}
