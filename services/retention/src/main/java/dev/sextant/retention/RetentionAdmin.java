package dev.sextant.retention;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The operations of the admin API, once for REST and gRPC: each checks the caller's {@link
 * Authority} and answers in the store's terms; the surfaces only translate. Blocking: callers run
 * it on worker threads, except {@link #runNow}, which answers with a Uni.
 */
@Singleton
class RetentionAdmin {
  /** Runs one listing answers with at most. */
  static final int MAX_RUNS = 10_000;

  private final PolicyService policies;
  private final RetentionRunner runner;
  private final RetentionSchedule schedule;
  private final DryRun dryRun;
  private final StorageComponent storage;
  private final RetentionConfig config;
  private final Clock clock;

  @Inject
  RetentionAdmin(
      PolicyService policies,
      RetentionRunner runner,
      RetentionSchedule schedule,
      DryRun dryRun,
      StorageComponent storage,
      RetentionConfig config,
      Clock clock) {
    this.policies = policies;
    this.runner = runner;
    this.schedule = schedule;
    this.dryRun = dryRun;
    this.storage = storage;
    this.config = config;
    this.clock = clock;
  }

  PolicyService policies() {
    return policies;
  }

  Optional<Instant> nextRun(RetentionPolicy policy) {
    return policy.enabled() ? schedule.nextRun(policy.id()) : Optional.empty();
  }

  /** The policies the request names (one, or every visible one) that the caller may run. */
  private List<RetentionPolicy> named(Authority who, String policyId) {
    if (policyId != null && !policyId.isBlank()) {
      return List.of(policies.get(who, policyId));
    }
    return policies.visible(who);
  }

  List<DryRun.Task> dryRun(Authority who, String policyId) {
    List<RetentionPolicy> all = policies.all();
    long now = UnixNanos.of(clock.instant());
    List<DryRun.Task> tasks = new ArrayList<>();
    for (RetentionPolicy policy : named(who, policyId)) {
      for (DryRun.Task task : dryRun.of(policy, all, now)) {
        if (who.seesTenant(task.tenant()) || task.tenant().equals(RetentionPolicy.ALL_TENANTS)) {
          tasks.add(task);
        }
      }
    }
    return tasks;
  }

  /** What one policy's run-now did. */
  record RunOutcome(
      RetentionPolicy policy, RetentionRunner.Triggered triggered, RetentionRun run) {}

  /**
   * Runs the named policy (or each one the caller may run, one after the other) and completes with
   * the finished runs; a policy whose run is in progress gives that run, still running.
   */
  Uni<List<RunOutcome>> runNow(Authority who, String policyId) {
    List<RetentionPolicy> runnable;
    if (policyId != null && !policyId.isBlank()) {
      RetentionPolicy policy = policies.get(who, policyId);
      who.requireRun(policy);
      runnable = List.of(policy);
    } else {
      runnable = policies.visible(who).stream().filter(who::mayRun).toList();
    }
    Uni<List<RunOutcome>> all = Uni.createFrom().item(new ArrayList<>());
    for (RetentionPolicy policy : runnable) {
      all =
          all.chain(
              done ->
                  runner
                      .trigger(policy.id(), RunTrigger.MANUAL, null)
                      .chain(triggered -> finished(policy, triggered))
                      .map(
                          outcome -> {
                            done.add(outcome);
                            return done;
                          }));
    }
    return all;
  }

  private static Uni<RunOutcome> finished(
      RetentionPolicy policy, RetentionRunner.Triggered triggered) {
    return switch (triggered) {
      case RetentionRunner.Started started ->
          started.finished().map(run -> new RunOutcome(policy, triggered, run));
      case RetentionRunner.Busy busy ->
          Uni.createFrom().item(new RunOutcome(policy, triggered, busy.running().orElse(null)));
      case RetentionRunner.Skipped skipped ->
          Uni.createFrom().item(new RunOutcome(policy, triggered, null));
    };
  }

  List<RetentionRun> runs(Authority who, int limit, String policyId) {
    if (limit < 1 || limit > MAX_RUNS) {
      throw ApiProblem.badData("limit must be an integer from 1 to " + MAX_RUNS + ": " + limit);
    }
    List<String> visible = named(who, policyId).stream().map(RetentionPolicy::id).toList();
    List<RetentionRun> runs =
        Await.of(
            storage
                .retention()
                .runs(policyId == null || policyId.isBlank() ? null : policyId, MAX_RUNS),
            config.deleteTimeout());
    List<RetentionRun> out = new ArrayList<>();
    for (RetentionRun run : runs) {
      if (out.size() == limit) {
        break;
      }
      if (visible.contains(run.policyId()) || (who.allTenants() && policyId == null)) {
        out.add(only(who, run));
      }
    }
    return out;
  }

  /** A run of a policy of every tenant shows a tenant's caller its own tasks only. */
  private static RetentionRun only(Authority who, RetentionRun run) {
    if (who.allTenants()) {
      return run;
    }
    return run.withTasks(run.tasks().stream().filter(t -> who.seesTenant(t.tenant())).toList());
  }

  /** The oldest row retained, per stored signal and tenant the caller sees. */
  record Oldest(String tenant, RetentionSignal signal, long unixNanos) {}

  List<Oldest> oldest(Authority who) {
    List<Oldest> out = new ArrayList<>();
    for (RetentionSignal signal : RetentionSignal.values()) {
      if (!storage.retention().signals().contains(signal)) {
        continue;
      }
      for (String tenant : Await.of(storage.retention().tenants(signal), config.deleteTimeout())) {
        if (!who.seesTenant(tenant)) {
          continue;
        }
        OptionalLong oldest =
            Await.of(
                storage.retention().oldest(RowSet.all(signal, tenant)), config.deleteTimeout());
        if (oldest.isPresent()) {
          out.add(new Oldest(tenant, signal, oldest.getAsLong()));
        }
      }
    }
    return out;
  }
}
