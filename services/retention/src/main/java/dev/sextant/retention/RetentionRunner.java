package dev.sextant.retention;

import dev.sextant.service.errors.Failures;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.retention.RunStatus;
import dev.sextant.storage.retention.SignalSize;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Runs policies. A run holds the policy's lease in the store for its whole length (so at most one
 * instance runs a policy at a time), records itself and each task's progress in the store (so the
 * history survives and a run whose instance died is resumed by another, skipping what it finished),
 * and renews the lease before every step: an instance that lost it — it stalled past the lease and
 * another took over — stops without writing anything more. Work runs on virtual threads and blocks
 * on the store, one step at a time.
 */
final class RetentionRunner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RetentionRunner.class);

  /** Buckets of a size cap: an hour, so a cap deletes little more than it must. */
  static final long SIZE_BUCKET_NANOS = Duration.ofHours(1).toNanos();

  /** What a trigger did. */
  sealed interface Triggered {}

  /** A run started (or resumed); {@code finished} completes, never fails, with how it ended. */
  record Started(RetentionRun run, Uni<RetentionRun> finished) implements Triggered {}

  /** Nothing started: the policy's run is in progress (here or in {@code holder}). */
  record Busy(Optional<RetentionRun> running, String holder) implements Triggered {}

  /** Nothing started, for this reason (e.g. another instance served this schedule firing). */
  record Skipped(String reason) implements Triggered {}

  /** The lease was taken over: this instance stops the run and writes nothing more. */
  private static final class LeaseLost extends RuntimeException {
    LeaseLost(String message) {
      super(message, null, false, false);
    }
  }

  private final StorageComponent storage;
  private final Clock clock;
  private final RetentionConfig config;
  private final RetentionMetrics metrics;
  private final String instance;
  private final Map<String, RetentionRun> runningHere = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  RetentionRunner(
      StorageComponent storage, Clock clock, RetentionConfig config, RetentionMetrics metrics) {
    this.storage = storage;
    this.clock = clock;
    this.config = config;
    this.metrics = metrics;
    this.instance = config.instanceId().orElseGet(() -> "retention-" + UUID.randomUUID());
    if (config.rowsPerStep() < 1) {
      throw new IllegalArgumentException("sextant.retention.rows-per-step must be >= 1");
    }
    if (config.historySize() < 1) {
      throw new IllegalArgumentException("sextant.retention.history-size must be >= 1");
    }
    if (!(config.sizeCapTarget() > 0 && config.sizeCapTarget() <= 1)) {
      throw new IllegalArgumentException("sextant.retention.size-cap-target must be in (0, 1]");
    }
    for (Duration d : List.of(config.leaseTtl(), config.deleteTimeout())) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(
            "sextant.retention.lease-ttl and delete-timeout must be positive");
      }
    }
  }

  String instance() {
    return instance;
  }

  static String leaseName(String policyId) {
    return "retention-policy:" + policyId;
  }

  private RetentionStore store() {
    return storage.retention();
  }

  private <T> T await(Uni<T> uni) {
    return Await.of(uni, config.deleteTimeout());
  }

  private long now() {
    return UnixNanos.of(clock.instant());
  }

  /** The runs in progress in this instance. */
  List<RetentionRun> runningHere() {
    return List.copyOf(runningHere.values());
  }

  // ------------------------------------------------------------------ trigger

  /**
   * Starts a run of the policy, or resumes its run whose instance died, unless it runs already or
   * (for a schedule firing, {@code scheduledFor} set) a run served this firing.
   */
  Uni<Triggered> trigger(String policyId, RunTrigger trigger, Instant scheduledFor) {
    CompletableFuture<Triggered> triggered = new CompletableFuture<>();
    threads.execute(
        () -> {
          try {
            triggered.complete(start(policyId, trigger, scheduledFor));
          } catch (RuntimeException e) {
            triggered.completeExceptionally(e);
          }
        });
    return Uni.createFrom().completionStage(triggered);
  }

  private Triggered start(String policyId, RunTrigger trigger, Instant scheduledFor) {
    RetentionRun here = runningHere.get(policyId);
    if (here != null) {
      metrics.skipped(trigger);
      return new Busy(Optional.of(here), instance);
    }
    List<RetentionPolicy> policies = await(store().policies());
    RetentionPolicy policy =
        policies.stream().filter(p -> p.id().equals(policyId)).findFirst().orElse(null);
    if (policy == null) {
      return new Skipped("policy " + policyId + " does not exist (any more)");
    }
    Optional<Lease> lease =
        await(
            store()
                .acquireLease(leaseName(policyId), instance, now(), config.leaseTtl().toNanos()));
    if (lease.isEmpty()) {
      metrics.skipped(trigger);
      Optional<Lease> holder = await(store().lease(leaseName(policyId)));
      Optional<RetentionRun> running =
          await(store().runs(policyId, 1)).stream()
              .filter(r -> r.status() == RunStatus.RUNNING)
              .findFirst();
      LOG.infof(
          "retention of policy %s (%s) skipped: %s holds its lease",
          policyId, trigger.tag(), holder.map(Lease::owner).orElse("another instance"));
      return new Busy(running, holder.map(Lease::owner).orElse(""));
    }
    RetentionRun run;
    try {
      run = begin(policy, policies, trigger, scheduledFor, lease.get());
    } catch (RuntimeException e) {
      releaseQuietly(lease.get());
      throw e;
    }
    if (run == null) {
      releaseQuietly(lease.get());
      metrics.skipped(trigger);
      return new Skipped("a run of policy " + policyId + " served this firing already");
    }
    runningHere.put(policyId, run);
    metrics.started();
    CompletableFuture<RetentionRun> finished = new CompletableFuture<>();
    RetentionRun begun = run;
    threads.execute(() -> finished.complete(execute(begun, policy, lease.get())));
    return new Started(run, Uni.createFrom().completionStage(finished).memoize().indefinitely());
  }

  /**
   * The run to execute: the policy's unfinished run (its instance died: it is resumed while its
   * plan still holds), else a new one; null when a run served this schedule firing already.
   */
  private RetentionRun begin(
      RetentionPolicy policy,
      List<RetentionPolicy> policies,
      RunTrigger trigger,
      Instant scheduledFor,
      Lease lease) {
    String fingerprint = Precedence.fingerprint(policy.signal(), policies);
    List<RetentionRun> latest = await(store().runs(policy.id(), 1));
    RetentionRun last = latest.isEmpty() ? null : latest.getFirst();
    long now = now();
    if (last != null && last.status() == RunStatus.RUNNING) {
      if (last.planFingerprint().equals(fingerprint)) {
        RetentionRun resumed = last.withState(RunStatus.RUNNING, instance, 0, "");
        await(store().saveRun(resumed));
        LOG.infof(
            "retention run %s of policy %s resumed (its instance %s stopped; %s)",
            last.id(), policy.id(), last.owner(), trigger.tag());
        metrics.resumed();
        return resumed;
      }
      await(
          store()
              .saveRun(
                  last.withState(
                      RunStatus.INTERRUPTED,
                      last.owner(),
                      now,
                      "its instance stopped, and the policies changed before it could be resumed")));
    }
    long scheduled = scheduledFor == null ? 0 : UnixNanos.of(scheduledFor);
    if (scheduled != 0 && last != null && last.scheduledForUnixNanos() == scheduled) {
      return null;
    }
    List<RetentionTask> tasks = new ArrayList<>();
    for (RunPlanner.Planned planned : plan(policy, policies, now)) {
      tasks.add(planned.task());
    }
    RetentionRun run =
        new RetentionRun(
            newRunId(now),
            policy.id(),
            trigger.tag(),
            instance,
            RunStatus.RUNNING,
            now,
            scheduled,
            fingerprint,
            now,
            0,
            "",
            tasks);
    await(store().saveRun(run));
    LOG.infof(
        "retention run %s of policy %s (%s) started: %s of %s older than %s, %d task(s)",
        run.id(),
        policy.id(),
        trigger.tag(),
        policy.signal().jsonName(),
        policy.appliesToAllTenants() ? "every tenant" : "tenant " + policy.tenant(),
        policy.maxAge(),
        tasks.size());
    return run;
  }

  private static String newRunId(long now) {
    return String.format("%016x-%s", now, UUID.randomUUID().toString().substring(0, 8));
  }

  /** The age tasks of a run planned at {@code planUnixNanos}; skipped for unstored signals. */
  private List<RunPlanner.Planned> plan(
      RetentionPolicy policy, List<RetentionPolicy> policies, long planUnixNanos) {
    if (!store().signals().contains(policy.signal())) {
      if (WholeSignal.applies(storage, policy, policies)) {
        RetentionTask whole =
            new RetentionTask(
                RetentionPolicy.ALL_TENANTS,
                policy.signal(),
                RetentionTask.Kind.AGE,
                RetentionTask.State.PENDING,
                RunPlanner.ageCutoff(policy, planUnixNanos),
                0,
                0,
                WholeSignal.NOTE);
        return List.of(new RunPlanner.Planned(whole, null));
      }
      RetentionTask skipped =
          new RetentionTask(
              policy.tenant(),
              policy.signal(),
              RetentionTask.Kind.AGE,
              RetentionTask.State.SKIPPED,
              RunPlanner.ageCutoff(policy, planUnixNanos),
              0,
              0,
              WholeSignal.skipNote(storage, policy));
      return List.of(new RunPlanner.Planned(skipped, null));
    }
    List<String> tenants = await(store().tenants(policy.signal()));
    return RunPlanner.ageTasks(policy, policies, tenants, planUnixNanos);
  }

  // ------------------------------------------------------------------ execute

  /** Runs the run's unfinished tasks, then its size cap, then gives the room back. Never throws. */
  private RetentionRun execute(RetentionRun run, RetentionPolicy policy, Lease lease) {
    long startNanos = System.nanoTime();
    Progress progress = new Progress(run);
    try {
      List<RetentionPolicy> policies = await(store().policies());
      Map<String, RowSet> rows = new HashMap<>();
      for (RunPlanner.Planned planned : plan(policy, policies, run.planUnixNanos())) {
        if (progress.adopt(planned.task())) {
          // A tenant whose first rows came after the run was planned (a resumed run).
          await(store().saveTask(progress.runId(), planned.task()));
        }
        if (planned.rows() != null) {
          rows.put(planned.task().tenant(), planned.rows());
        }
      }
      for (RetentionTask task : progress.pending(RetentionTask.Kind.AGE)) {
        if (!store().signals().contains(task.signal())) {
          deleteWholeSignal(progress, task, lease);
        } else {
          deleteTask(progress, task, rows.get(task.tenant()), lease);
        }
      }
      if (policy.maxBytes() > 0 && store().signals().contains(policy.signal())) {
        enforceSizeCap(progress, policy, rows, lease);
      }
      if (store().signals().contains(policy.signal()) && progress.rowsDeleted() > 0) {
        renew(lease);
        try {
          await(store().reclaim(policy.signal()));
        } catch (RuntimeException e) {
          progress.error("reclaiming room: " + Failures.messageOf(e));
        }
      }
      RetentionRun finished = progress.finish(now());
      await(store().saveRun(finished));
      releaseQuietly(lease);
      pruneQuietly();
      metrics.finished(finished, policy.signal());
      log(finished, policy, System.nanoTime() - startNanos);
      return finished;
    } catch (LeaseLost lost) {
      LOG.warnf(
          "retention run %s of policy %s stopped: %s; the instance holding it now continues it",
          run.id(), policy.id(), lost.getMessage());
      metrics.interrupted();
      return progress.interrupted(now(), lost.getMessage());
    } catch (RuntimeException e) {
      // The store failed where the run records itself: the next trigger resumes it.
      LOG.errorf(e, "retention run %s of policy %s could not go on", run.id(), policy.id());
      metrics.interrupted();
      releaseQuietly(lease);
      return progress.interrupted(now(), Failures.messageOf(e));
    } finally {
      runningHere.remove(policy.id());
    }
  }

  /** Deletes one task's rows step by step, recording its progress after each step. */
  /**
   * A signal the backend's retention surface lacks, deleted through its own store for every tenant
   * at once (only a policy of every tenant without a selector gets here: {@link WholeSignal}).
   */
  private void deleteWholeSignal(Progress progress, RetentionTask task, Lease lease) {
    RetentionTask done;
    try {
      renew(lease);
      long deleted = await(WholeSignal.delete(storage, task.signal(), task.cutoffUnixNanos()));
      done =
          new RetentionTask(
              task.tenant(),
              task.signal(),
              task.kind(),
              RetentionTask.State.DONE,
              task.cutoffUnixNanos(),
              deleted,
              0,
              task.note());
    } catch (LeaseLost lost) {
      throw lost;
    } catch (RuntimeException e) {
      LOG.errorf(e, "retention of %s failed", task.signal().jsonName());
      done =
          new RetentionTask(
              task.tenant(),
              task.signal(),
              task.kind(),
              RetentionTask.State.FAILED,
              task.cutoffUnixNanos(),
              0,
              0,
              Failures.messageOf(e));
    }
    progress.record(done);
    renew(lease);
    await(store().saveTask(progress.runId(), done));
  }

  private void deleteTask(Progress progress, RetentionTask task, RowSet rows, Lease lease) {
    RetentionTask current = task;
    try {
      while (true) {
        renew(lease);
        Deleted step =
            await(store().deleteBefore(rows, task.cutoffUnixNanos(), config.rowsPerStep()));
        String note =
            step.cutoffUnixNanos() < task.cutoffUnixNanos()
                ? "raw samples from "
                    + Instant.ofEpochSecond(0, step.cutoffUnixNanos())
                    + " on are kept until their rollups are complete"
                : "";
        current =
            new RetentionTask(
                task.tenant(),
                task.signal(),
                task.kind(),
                step.more() ? RetentionTask.State.PENDING : RetentionTask.State.DONE,
                task.cutoffUnixNanos(),
                current.rows() + step.rows(),
                current.bytes() + step.bytes(),
                note);
        renew(lease);
        progress.record(current);
        await(store().saveTask(progress.runId(), current));
        if (!step.more()) {
          return;
        }
      }
    } catch (LeaseLost lost) {
      throw lost;
    } catch (RuntimeException e) {
      RetentionTask failed =
          new RetentionTask(
              task.tenant(),
              task.signal(),
              task.kind(),
              RetentionTask.State.FAILED,
              task.cutoffUnixNanos(),
              current.rows(),
              current.bytes(),
              Failures.messageOf(e));
      LOG.errorf(e, "retention of %s of tenant %s failed", task.signal().jsonName(), task.tenant());
      progress.record(failed);
      renew(lease);
      await(store().saveTask(progress.runId(), failed));
    }
  }

  /**
   * When the governed rows take more than the cap: the oldest go, across the tenants the policy
   * covers, down to the target share of the cap. Said loudly (log line and gauge): a cap that cuts
   * is data lost before its age.
   */
  private void enforceSizeCap(
      Progress progress, RetentionPolicy policy, Map<String, RowSet> rows, Lease lease) {
    if (!progress.pending(RetentionTask.Kind.SIZE).isEmpty()) {
      // A resumed run: the cutoff was fixed before the crash.
      for (RetentionTask task : progress.pending(RetentionTask.Kind.SIZE)) {
        deleteTask(progress, task, rows.get(task.tenant()), lease);
      }
      return;
    }
    if (progress.hasKind(RetentionTask.Kind.SIZE)) {
      return;
    }
    renew(lease);
    SizeCapPlan plan = planSizeCap(policy, rows.values());
    metrics.sizeCap(policy, plan.bytes(), plan.cutoff().isPresent());
    if (plan.cutoff().isEmpty()) {
      return;
    }
    long cutoff = plan.cutoff().getAsLong();
    LOG.warnf(
        "retention: %s governed by policy %s take %d bytes, over its cap of %d bytes; deleting"
            + " what is older than %s (before its max age of %s)",
        policy.signal().jsonName(),
        policy.id(),
        plan.bytes(),
        policy.maxBytes(),
        Instant.ofEpochSecond(0, cutoff),
        policy.maxAge());
    for (String tenant : rows.keySet().stream().sorted().toList()) {
      RetentionTask task =
          new RetentionTask(
              tenant,
              policy.signal(),
              RetentionTask.Kind.SIZE,
              RetentionTask.State.PENDING,
              cutoff,
              0,
              0,
              "");
      progress.record(task);
      await(store().saveTask(progress.runId(), task));
      deleteTask(progress, task, rows.get(tenant), lease);
    }
  }

  /** Where a size cap cuts now, and how many bytes the governed rows take. */
  record SizeCapPlan(long bytes, OptionalLong cutoff) {}

  SizeCapPlan planSizeCap(RetentionPolicy policy, java.util.Collection<RowSet> governed) {
    Map<Long, long[]> merged = new java.util.TreeMap<>();
    long governedBytes = 0;
    for (RowSet set : governed) {
      for (Bucket b : await(store().histogram(set, Long.MAX_VALUE, SIZE_BUCKET_NANOS))) {
        long[] sum = merged.computeIfAbsent(b.startUnixNanos(), k -> new long[2]);
        sum[0] += b.rows();
        sum[1] += b.bytes();
        governedBytes += b.bytes();
      }
    }
    List<Bucket> buckets = new ArrayList<>();
    merged.forEach((start, sum) -> buckets.add(new Bucket(start, sum[0], sum[1])));
    double scale = scale(policy, governed, governedBytes);
    return new SizeCapPlan(
        SizeCap.total(buckets, scale),
        SizeCap.cutoff(
            buckets, SIZE_BUCKET_NANOS, policy.maxBytes(), config.sizeCapTarget(), scale));
  }

  /**
   * Room on disk per byte the store counts for rows: the signal's size over the bytes of all its
   * rows (1 when the store counts no room of its own).
   */
  private double scale(
      RetentionPolicy policy, java.util.Collection<RowSet> governed, long governedBytes) {
    SignalSize size = await(store().size(policy.signal()));
    boolean whole =
        policy.appliesToAllTenants() && governed.stream().allMatch(RowSet::isWholeTenant);
    long allBytes = governedBytes;
    if (!whole) {
      allBytes = 0;
      for (String tenant : await(store().tenants(policy.signal()))) {
        for (Bucket b :
            await(
                store()
                    .histogram(
                        RowSet.all(policy.signal(), tenant), Long.MAX_VALUE, SIZE_BUCKET_NANOS))) {
          allBytes += b.bytes();
        }
      }
    }
    return allBytes <= 0 || size.bytes() <= 0 ? 1 : Math.max(1, (double) size.bytes() / allBytes);
  }

  private void renew(Lease lease) {
    if (!await(store().renewLease(lease, now(), config.leaseTtl().toNanos()))) {
      Optional<Lease> holder = await(store().lease(lease.name()));
      throw new LeaseLost(
          "its lease was taken over by " + holder.map(Lease::owner).orElse("another instance"));
    }
  }

  private void releaseQuietly(Lease lease) {
    try {
      await(store().releaseLease(lease));
    } catch (RuntimeException e) {
      LOG.warnf("retention: releasing %s failed (it expires): %s", lease.name(), e.getMessage());
    }
  }

  private void pruneQuietly() {
    try {
      await(store().pruneRuns(config.historySize()));
    } catch (RuntimeException e) {
      LOG.warnf("retention: pruning the run history failed: %s", e.getMessage());
    }
  }

  private void log(RetentionRun run, RetentionPolicy policy, long elapsedNanos) {
    long rows = run.tasks().stream().mapToLong(RetentionTask::rows).sum();
    long bytes = run.tasks().stream().mapToLong(RetentionTask::bytes).sum();
    String summary =
        String.format(
            "retention run %s of policy %s %s in %d ms: %d %s rows, %d bytes deleted over %d"
                + " task(s)",
            run.id(),
            policy.id(),
            run.status().tag(),
            Duration.ofNanos(elapsedNanos).toMillis(),
            rows,
            policy.signal().jsonName(),
            bytes,
            run.tasks().size());
    if (run.status() == RunStatus.SUCCEEDED) {
      LOG.info(summary);
    } else {
      LOG.error(summary + "; errors: " + run.error());
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
