package dev.sextant.retention;

import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RowSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a run of a policy would delete now, task by task, in rows and bytes per day — computed from
 * the store's histograms, deleting nothing. Raw metric samples count only where their rollups are
 * complete, as a run would delete them.
 */
final class DryRun {
  static final long DAY_NANOS = Duration.ofDays(1).toNanos();

  /** One task of the would-be run. */
  record Task(
      String policyId,
      String tenant,
      dev.sextant.storage.retention.RetentionSignal signal,
      RetentionTask.Kind kind,
      long cutoffUnixNanos,
      long rows,
      long bytes,
      List<Bucket> days,
      String note) {}

  private final RetentionStore store;
  private final RetentionRunner runner;
  private final String backend;
  private final Duration timeout;

  DryRun(RetentionStore store, RetentionRunner runner, String backend, Duration timeout) {
    this.store = store;
    this.runner = runner;
    this.backend = backend;
    this.timeout = timeout;
  }

  List<Task> of(RetentionPolicy policy, List<RetentionPolicy> all, long nowUnixNanos) {
    long ageCutoff = RunPlanner.ageCutoff(policy, nowUnixNanos);
    if (!store.signals().contains(policy.signal())) {
      return List.of(
          new Task(
              policy.id(),
              policy.tenant(),
              policy.signal(),
              RetentionTask.Kind.AGE,
              ageCutoff,
              0,
              0,
              List.of(),
              "the "
                  + backend
                  + " storage backend cannot count "
                  + policy.signal().jsonName()
                  + " for a dry run"));
    }
    List<String> tenants = Await.of(store.tenants(policy.signal()), timeout);
    List<Task> tasks = new ArrayList<>();
    Map<String, RowSet> governed = new HashMap<>();
    for (RunPlanner.Planned planned : RunPlanner.ageTasks(policy, all, tenants, nowUnixNanos)) {
      governed.put(planned.task().tenant(), planned.rows());
      List<Bucket> days = Await.of(store.histogram(planned.rows(), ageCutoff, DAY_NANOS), timeout);
      tasks.add(task(policy, planned.task().tenant(), RetentionTask.Kind.AGE, ageCutoff, days));
    }
    if (policy.maxBytes() > 0) {
      OptionalLong cutoff = runner.planSizeCap(policy, governed.values()).cutoff();
      if (cutoff.isPresent() && cutoff.getAsLong() > ageCutoff) {
        for (Map.Entry<String, RowSet> tenant : governed.entrySet()) {
          List<Bucket> days =
              newerThan(
                  Await.of(
                      store.histogram(tenant.getValue(), cutoff.getAsLong(), DAY_NANOS), timeout),
                  Await.of(store.histogram(tenant.getValue(), ageCutoff, DAY_NANOS), timeout));
          tasks.add(
              task(policy, tenant.getKey(), RetentionTask.Kind.SIZE, cutoff.getAsLong(), days));
        }
      }
    }
    return tasks;
  }

  private static Task task(
      RetentionPolicy policy,
      String tenant,
      RetentionTask.Kind kind,
      long cutoff,
      List<Bucket> days) {
    long rows = days.stream().mapToLong(Bucket::rows).sum();
    long bytes = days.stream().mapToLong(Bucket::bytes).sum();
    return new Task(
        policy.id(),
        tenant,
        policy.signal(),
        kind,
        cutoff,
        rows,
        bytes,
        days,
        kind == RetentionTask.Kind.SIZE
            ? "over its size cap of " + policy.maxBytes() + " bytes"
            : "");
  }

  /** {@code all} minus what {@code older} counts, day by day: what only the size cap deletes. */
  private static List<Bucket> newerThan(List<Bucket> all, List<Bucket> older) {
    Map<Long, Bucket> before = new HashMap<>();
    older.forEach(b -> before.put(b.startUnixNanos(), b));
    List<Bucket> out = new ArrayList<>();
    for (Bucket b : all) {
      Bucket o = before.get(b.startUnixNanos());
      long rows = b.rows() - (o == null ? 0 : o.rows());
      long bytes = b.bytes() - (o == null ? 0 : o.bytes());
      if (rows > 0) {
        out.add(new Bucket(b.startUnixNanos(), rows, bytes));
      }
    }
    return out;
  }
}
