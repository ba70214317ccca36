package dev.sextant.retention;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.retention.Lease;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RunStatus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Each enabled policy's cron schedule as a job of the Quarkus scheduler, with a random delay of up
 * to {@code jitter} before it runs; the job set, and the backend's own enforcement of the policies
 * (its TTLs, where it has them), follow the policies as they change (here at once, from other
 * instances within {@code policy-refresh}). At startup: the default policies are created if
 * missing, and every enabled policy runs once when {@code run-on-start}. Every refresh also resumes
 * the runs of instances that died (their lease expired).
 */
@Singleton
class RetentionSchedule {
  static final String REFRESH_JOB = "sextant-retention-refresh";
  private static final String JOB_PREFIX = "sextant-retention-";

  private static final Logger LOG = Logger.getLogger(RetentionSchedule.class);

  private final Scheduler scheduler;
  private final RetentionRunner runner;
  private final RetentionConfig config;
  private final StorageComponent storage;
  private final Clock clock;

  /** The scheduled jobs: policy id to cron expression. */
  private final Map<String, String> jobs = new HashMap<>();

  /** The policies the backend's own enforcement (TTLs) was last reconciled with. */
  private List<RetentionPolicy> reconciled;

  @Inject
  RetentionSchedule(
      Scheduler scheduler,
      RetentionRunner runner,
      RetentionConfig config,
      StorageComponent storage,
      Clock clock) {
    this.scheduler = scheduler;
    this.runner = runner;
    this.config = config;
    this.storage = storage;
    this.clock = clock;
  }

  static String jobOf(String policyId) {
    return JOB_PREFIX + policyId;
  }

  void start(@Observes StartupEvent event) {
    if (!storage.retention().supported()) {
      // Not a failed start: the other services work on this backend. Said at ERROR level, and
      // sextant_retention_last_success_timestamp_seconds stays 0 for alerts to see.
      LOG.errorf(
          "retention: the %s storage backend has no retention support yet: NOTHING IS DELETED;"
              + " the retention API answers with this reason",
          storage.capabilities().kind());
      return;
    }
    int created =
        DefaultPolicies.ensure(storage.retention(), config, UnixNanos.of(clock.instant()));
    List<RetentionPolicy> policies =
        Await.of(storage.retention().policies(), config.deleteTimeout());
    if (created > 0) {
      LOG.infof("retention: created %d default policies (retention is on by default)", created);
    }
    // Fails the start like any other store failure here: TTLs that contradict the policies
    // (or a disabled retention) must not stay in force unnoticed.
    List<RetentionPolicy> enforced = enforced(policies);
    Await.of(storage.retention().reconcile(enforced), config.deleteTimeout());
    reconciled = enforced;
    if (!config.enabled()) {
      LOG.warn(
          "retention is disabled (sextant.retention.enabled=false): nothing is deleted unless a"
              + " run is started by hand");
      return;
    }
    follow(policies);
    scheduler
        .newJob(REFRESH_JOB)
        .setInterval(config.policyRefresh().toSeconds() + "s")
        .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
        .setTask(execution -> refresh(), true)
        .schedule();
    if (config.runOnStart()) {
      Thread.ofVirtual().name("sextant-retention-startup").start(() -> runAll(policies));
    }
  }

  /** Runs every enabled policy once, one after the other (at startup). */
  private void runAll(List<RetentionPolicy> policies) {
    for (RetentionPolicy policy : policies) {
      if (!policy.enabled()) {
        continue;
      }
      try {
        if (runner
                .trigger(policy.id(), RunTrigger.STARTUP, null)
                .await()
                .atMost(config.deleteTimeout())
            instanceof RetentionRunner.Started started) {
          started.finished().await().indefinitely();
        }
      } catch (RuntimeException e) {
        LOG.errorf(e, "retention: the startup run of policy %s failed to start", policy.id());
      }
    }
  }

  /** After a change of the policies in this instance: the schedule and the TTLs follow them. */
  void changed(List<RetentionPolicy> policies) {
    follow(policies);
    reconcile(policies);
  }

  /** What the backend may enforce by itself: nothing while retention is disabled. */
  private List<RetentionPolicy> enforced(List<RetentionPolicy> policies) {
    return config.enabled() ? policies : List.of();
  }

  /**
   * Has the backend enforce the policies itself where it can ({@code RetentionStore.reconcile}:
   * ClickHouse's table TTLs) unless it was reconciled with these already; a failure is logged and
   * tried again at the next refresh, which also brings changes made by other instances.
   */
  synchronized void reconcile(List<RetentionPolicy> policies) {
    List<RetentionPolicy> enforced = enforced(policies);
    if (enforced.equals(reconciled)) {
      return;
    }
    try {
      Await.of(storage.retention().reconcile(enforced), config.deleteTimeout());
      reconciled = enforced;
    } catch (RuntimeException e) {
      LOG.warnf(
          "retention: the storage backend's own enforcement (TTLs) does not follow the policies"
              + " yet, trying again at the next refresh: %s",
          e.getMessage());
    }
  }

  /** Makes the scheduled jobs those of the enabled policies, each with its own cron. */
  synchronized void follow(List<RetentionPolicy> policies) {
    if (!config.enabled()) {
      return;
    }
    Map<String, String> wanted = new HashMap<>();
    for (RetentionPolicy policy : policies) {
      if (policy.enabled()) {
        wanted.put(policy.id(), policy.schedule());
      }
    }
    for (String id : List.copyOf(jobs.keySet())) {
      if (!jobs.get(id).equals(wanted.get(id))) {
        scheduler.unscheduleJob(jobOf(id));
        jobs.remove(id);
      }
    }
    wanted.forEach(
        (id, cron) -> {
          if (!jobs.containsKey(id)) {
            schedule(id, cron);
            jobs.put(id, cron);
          }
        });
  }

  private void schedule(String policyId, String cron) {
    Scheduler.JobDefinition<?> job =
        scheduler
            .newJob(jobOf(policyId))
            .setCron(cron)
            // The runner refuses overlapping runs itself, and counts the refusals.
            .setConcurrentExecution(Scheduled.ConcurrentExecution.PROCEED)
            .setAsyncTask(
                execution -> {
                  runner
                      .trigger(policyId, RunTrigger.SCHEDULE, execution.getScheduledFireTime())
                      .subscribe()
                      .with(
                          ignored -> {},
                          failure ->
                              LOG.errorf(
                                  failure,
                                  "retention: the scheduled run of policy %s failed to start",
                                  policyId));
                  return Uni.createFrom().voidItem();
                });
    if (!config.jitter().isZero()) {
      job.setExecutionMaxDelay(config.jitter().toMillis() + "ms");
    }
    Trigger trigger = job.schedule();
    LOG.infof(
        "retention: policy %s scheduled '%s', next run at %s",
        policyId, cron, trigger.getNextFireTime());
  }

  /** Reloads the policies and resumes the runs whose instance died. */
  void refresh() {
    try {
      List<RetentionPolicy> policies =
          Await.of(storage.retention().policies(), config.deleteTimeout());
      follow(policies);
      reconcile(policies);
      resumeOrphans(policies);
    } catch (RuntimeException e) {
      LOG.warnf("retention: refreshing the policies failed: %s", e.getMessage());
    }
  }

  private void resumeOrphans(List<RetentionPolicy> policies) {
    long now = UnixNanos.of(clock.instant());
    List<String> here = runner.runningHere().stream().map(RetentionRun::policyId).toList();
    for (RetentionPolicy policy : policies) {
      if (here.contains(policy.id())) {
        continue;
      }
      List<RetentionRun> last =
          Await.of(storage.retention().runs(policy.id(), 1), config.deleteTimeout());
      if (last.isEmpty() || last.getFirst().status() != RunStatus.RUNNING) {
        continue;
      }
      Optional<Lease> lease =
          Await.of(
              storage.retention().lease(RetentionRunner.leaseName(policy.id())),
              config.deleteTimeout());
      if (lease.isEmpty() || lease.get().expiresUnixNanos() <= now) {
        runner.trigger(policy.id(), RunTrigger.RESUME, null).subscribe().with(ignored -> {});
      }
    }
  }

  /** When the policy's job runs next; empty when it is not scheduled. */
  Optional<Instant> nextRun(String policyId) {
    return Optional.ofNullable(scheduler.getScheduledJob(jobOf(policyId)))
        .map(Trigger::getNextFireTime);
  }
}
