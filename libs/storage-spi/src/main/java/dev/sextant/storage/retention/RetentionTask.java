package dev.sextant.storage.retention;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One step of a run: one tenant's rows of one signal, by age or by size. A run records each task as
 * it finishes, which is what lets a run that crashed be resumed without doing a finished task
 * again.
 *
 * @param cutoffUnixNanos rows before this go (for a finished task: the cutoff applied)
 * @param rows rows removed (or, in a dry run, that would be)
 * @param bytes their stored size
 * @param note why a task was skipped or failed, or what limited it; empty otherwise
 */
public record RetentionTask(
    String tenant,
    RetentionSignal signal,
    Kind kind,
    State state,
    long cutoffUnixNanos,
    long rows,
    long bytes,
    String note) {

  /** Why rows go. */
  public enum Kind {
    /** Older than the policy's max age. */
    AGE,
    /** The oldest, while the governed rows take more than the policy's max bytes. */
    SIZE;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where a task is. */
  public enum State {
    PENDING,
    DONE,
    FAILED,
    /** Nothing to do: e.g. the backend does not store the signal. */
    SKIPPED;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RetentionTask {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    note = note == null ? "" : note;
  }

  /** Whether the other task is the same step (tenant, signal, kind) of a run. */
  public boolean sameStep(RetentionTask other) {
    return tenant.equals(other.tenant) && signal == other.signal && kind == other.kind;
  }

  /**
   * Replaces the task of the same step in {@code tasks}, or appends the task when there is none.
   */
  public static void record(List<RetentionTask> tasks, RetentionTask task) {
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i).sameStep(task)) {
        tasks.set(i, task);
        return;
      }
    }
    tasks.add(task);
  }
}
