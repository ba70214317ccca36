package dev.sextant.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes of the REST API: camelCase names, each time as an ISO-8601 string plus its Unix
 * nanoseconds as a string (JavaScript numbers lose nanosecond precision), each max age as an
 * ISO-8601 duration plus whole seconds.
 */
final class RetentionJson {
  private RetentionJson() {}

  record Policy(
      boolean enabled,
      boolean runOnStart,
      String schedule,
      String nextRunAt,
      String nextRunUnixNanos,
      String spansMaxAge,
      long spansMaxAgeSeconds,
      String logsMaxAge,
      long logsMaxAgeSeconds,
      String metricPointsMaxAge,
      long metricPointsMaxAgeSeconds) {}

  record Time(String at, String unixNanos) {}

  /** {@code finishedAt}/{@code finishedUnixNanos} are null while running. */
  record Run(
      long id,
      String trigger,
      String status,
      String startedAt,
      String startedUnixNanos,
      String finishedAt,
      String finishedUnixNanos,
      Map<String, Time> cutoffs,
      Map<String, Long> deleted,
      String error) {}

  record Runs(List<Run> runs) {}

  /** The error shape every Sextant HTTP API answers with. */
  record Error(String status, String errorType, String error) {
    static Error of(String errorType, String message) {
      return new Error("error", errorType, message);
    }
  }

  /** 409: a run was asked for while one is in progress; {@code run} is that one. */
  record Conflict(String status, String errorType, String error, Run run) {}

  static Policy policy(RetentionConfig config, RetentionPolicy policy, Optional<Instant> nextRun) {
    Duration spans = policy.maxAge(Signal.SPANS);
    Duration logs = policy.maxAge(Signal.LOGS);
    Duration points = policy.maxAge(Signal.METRIC_POINTS);
    return new Policy(
        config.enabled(),
        config.runOnStart(),
        config.schedule(),
        nextRun.map(Instant::toString).orElse(null),
        nextRun.map(at -> Long.toString(UnixNanos.of(at))).orElse(null),
        spans.toString(),
        spans.toSeconds(),
        logs.toString(),
        logs.toSeconds(),
        points.toString(),
        points.toSeconds());
  }

  static Run run(RetentionRun run) {
    Map<String, Time> cutoffs = new LinkedHashMap<>();
    Map<String, Long> deleted = new LinkedHashMap<>();
    for (Signal signal : Signal.values()) {
      Instant cutoff = run.cutoffs().get(signal);
      cutoffs.put(signal.jsonName(), new Time(cutoff.toString(), nanos(cutoff)));
      deleted.put(signal.jsonName(), run.deleted(signal));
    }
    return new Run(
        run.id(),
        run.trigger().tag(),
        run.status().tag(),
        run.started().toString(),
        nanos(run.started()),
        run.finished() == null ? null : run.finished().toString(),
        run.finished() == null ? null : nanos(run.finished()),
        cutoffs,
        deleted,
        run.error());
  }

  private static String nanos(Instant instant) {
    return Long.toString(UnixNanos.of(instant));
  }
}
