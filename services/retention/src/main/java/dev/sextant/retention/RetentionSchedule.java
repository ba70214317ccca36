package dev.sextant.retention;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Registers the retention job with the scheduler at startup (from {@code
 * sextant.retention.schedule}, so an invalid cron fails the service at startup) and runs once at
 * startup when configured. Every firing reaches the runner, which counts and logs a firing that
 * found a run in progress.
 */
@Singleton
class RetentionSchedule {
  static final String JOB = "sextant-retention";

  private static final Logger LOG = Logger.getLogger(RetentionSchedule.class);

  private final Scheduler scheduler;
  private final RetentionRunner runner;
  private final RetentionConfig config;

  @Inject
  RetentionSchedule(Scheduler scheduler, RetentionRunner runner, RetentionConfig config) {
    this.scheduler = scheduler;
    this.runner = runner;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    if (!config.enabled()) {
      LOG.warn(
          "retention is disabled (sextant.retention.enabled=false): nothing is deleted unless a"
              + " run is started by hand");
      return;
    }
    Trigger job =
        scheduler
            .newJob(JOB)
            .setCron(config.schedule())
            // The runner itself refuses overlapping runs, and counts the refusals.
            .setConcurrentExecution(Scheduled.ConcurrentExecution.PROCEED)
            .setAsyncTask(
                execution -> {
                  runner.trigger(RunTrigger.SCHEDULE);
                  return Uni.createFrom().voidItem();
                })
            .schedule();
    LOG.infof(
        "retention: spans %s, logs %s, metric points %s; schedule '%s', next run at %s",
        config.spansMaxAge(),
        config.logsMaxAge(),
        config.metricPointsMaxAge(),
        config.schedule(),
        job.getNextFireTime());
    if (config.runOnStart()) {
      runner.trigger(RunTrigger.STARTUP);
    }
  }

  /** When the job runs next; empty when retention is disabled. */
  Optional<Instant> nextRun() {
    return Optional.ofNullable(scheduler.getScheduledJob(JOB)).map(Trigger::getNextFireTime);
  }
}
