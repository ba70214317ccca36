package dev.sextant.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How retention runs, and the default policies it creates at first start. Durations take {@code
 * 7d}, {@code 12h}, {@code 30m} or ISO-8601 ({@code P7D}, {@code PT12H}).
 */
@ConfigMapping(prefix = "sextant.retention")
public interface RetentionConfig {

  /**
   * Whether policies run on their schedules and at startup. On by default: storage that only grows
   * is the failure users meet first. Manual runs are always possible.
   */
  @WithDefault("true")
  boolean enabled();

  /**
   * The schedule of the default policies, and of a policy created without one: a Quartz cron
   * expression, seconds first. Hourly at minute 7, off the top of the hour when other jobs run.
   */
  @WithDefault("0 7 * * * ?")
  String schedule();

  /** Whether every enabled policy runs once as the service starts. */
  @WithDefault("true")
  boolean runOnStart();

  /** The default policies' max ages, used once: when the store has no default policy yet. */
  Defaults defaults();

  /** Max ages of the default policies (every tenant, all of a signal). */
  interface Defaults {
    @WithDefault("7d")
    Duration spans();

    @WithDefault("7d")
    Duration spanPayloads();

    @WithDefault("7d")
    Duration logs();

    /** Raw samples; their rollups stay as long as the tiers below say. */
    @WithDefault("15d")
    Duration metricPoints();

    @WithDefault("90d")
    Duration metricRollups1m();

    @WithDefault("400d")
    Duration metricRollups1h();

    @WithDefault("30d")
    Duration metricEvents();

    @WithDefault("90d")
    Duration scores();

    @WithDefault("90d")
    Duration feedback();
  }

  /**
   * The longest random delay after a schedule fires before the run starts, so several retention
   * instances do not all reach for the store at once (only one runs a policy per firing anyway).
   */
  @WithDefault("2m")
  Duration jitter();

  /**
   * How long a policy's lease lasts without renewal. A run renews it before each step; an instance
   * that crashed holds it at most this long, then another one resumes its run.
   */
  @WithDefault("2m")
  Duration leaseTtl();

  /**
   * How often each instance reloads the policies (another instance may have changed them) and
   * resumes runs whose instance died.
   */
  @WithDefault("30s")
  Duration policyRefresh();

  /** Finished runs kept in the store for the history. */
  @WithDefault("1000")
  int historySize();

  /**
   * How long one store step may take before the task fails (and the run goes on with the next). A
   * store that never answers would otherwise hold a policy forever, silently.
   */
  @WithDefault("10m")
  Duration deleteTimeout();

  /**
   * Rows deleted per store step: between steps the run renews its lease and records its progress.
   * The store itself deletes in smaller transactions (SQLite: {@code delete-batch-rows}).
   */
  @WithDefault("20000")
  int rowsPerStep();

  /**
   * Where a size cap brings a signal when it is over: this share of the cap, so that the next run
   * does not have to delete again at once.
   */
  @WithDefault("0.9")
  double sizeCapTarget();

  /** This instance's name in leases and runs; a random one per start by default. */
  Optional<String> instanceId();
}
