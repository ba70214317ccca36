package dev.sextant.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The default retention policy and when it runs. Durations take {@code 7d}, {@code 12h}, {@code
 * 30m} or ISO-8601 ({@code P7D}, {@code PT12H}).
 */
@ConfigMapping(prefix = "sextant.retention")
public interface RetentionConfig {

  /**
   * Whether retention runs on its schedule and at startup. On by default: storage that only grows
   * is the failure users meet first. Manual runs ({@code POST /api/v1/retention/runs}) are always
   * possible.
   */
  @WithDefault("true")
  boolean enabled();

  /** Spans that started longer ago than this are deleted. */
  @WithDefault("7d")
  Duration spansMaxAge();

  /** Log records timestamped longer ago than this are deleted. */
  @WithDefault("7d")
  Duration logsMaxAge();

  /** Metric points timestamped longer ago than this are deleted, and series left empty. */
  @WithDefault("30d")
  Duration metricPointsMaxAge();

  /**
   * When retention runs: a Quartz cron expression, seconds first. The default runs hourly at minute
   * 7, off the top of the hour when other jobs tend to run.
   */
  @WithDefault("0 7 * * * ?")
  String schedule();

  /** Whether to run once as the service starts, so a service that restarts often still cleans. */
  @WithDefault("true")
  boolean runOnStart();

  /** How many finished runs are kept in memory for {@code GET /api/v1/retention/runs}. */
  @WithDefault("100")
  int historySize();

  /**
   * How long deleting one signal may take before the run records it as failed and frees the next
   * run. A store that never answers would otherwise block retention forever, silently. A delete
   * that finishes after its timeout does no harm: the next run deletes what is left.
   */
  @WithDefault("1h")
  Duration deleteTimeout();
}
