package dev.sextant.retention;

import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionTask;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The JSON shapes of the REST API: camelCase names, each time as an ISO-8601 string plus its Unix
 * nanoseconds as a string (JavaScript numbers lose nanosecond precision), each max age as an
 * ISO-8601 duration plus whole seconds.
 */
final class RetentionJson {
  private RetentionJson() {}

  record Selector(String service, String environment, String entityType, String entityName) {
    static Selector of(RetentionSelector s) {
      return new Selector(s.service(), s.environment(), s.entityType(), s.entityName());
    }

    RetentionSelector toSelector() {
      return new RetentionSelector(service, environment, entityType, entityName);
    }
  }

  /** What a client sends to create or change a policy. */
  record PolicyInput(
      String tenant,
      String signal,
      Selector selector,
      String maxAge,
      Long maxAgeSeconds,
      Long maxBytes,
      String schedule,
      Boolean enabled,
      Long version) {

    PolicySpec toSpec() {
      Duration age =
          maxAge != null
              ? Durations.parse(maxAge, "maxAge")
              : maxAgeSeconds != null ? Duration.ofSeconds(maxAgeSeconds) : null;
      return new PolicySpec(
          tenant,
          signal == null ? null : RetentionSignal.ofJsonName(signal).orElse(null),
          selector == null ? RetentionSelector.ANY : selector.toSelector(),
          age,
          maxBytes == null ? 0 : maxBytes,
          schedule,
          enabled == null || enabled);
    }
  }

  record Policy(
      String id,
      String tenant,
      String signal,
      Selector selector,
      String maxAge,
      long maxAgeSeconds,
      long maxBytes,
      String schedule,
      boolean enabled,
      long version,
      String updatedAt,
      String updatedUnixNanos,
      String nextRunAt,
      String nextRunUnixNanos,
      boolean defaultPolicy) {}

  record Policies(List<Policy> policies) {}

  static Policy policy(RetentionPolicy p, Optional<Instant> nextRun) {
    return new Policy(
        p.id(),
        p.tenant(),
        p.signal().jsonName(),
        Selector.of(p.selector()),
        p.maxAge().toString(),
        p.maxAge().toSeconds(),
        p.maxBytes(),
        p.schedule(),
        p.enabled(),
        p.version(),
        at(p.updatedUnixNanos()),
        Long.toString(p.updatedUnixNanos()),
        nextRun.map(Instant::toString).orElse(null),
        nextRun.map(n -> Long.toString(UnixNanos.of(n))).orElse(null),
        DefaultPolicies.isDefault(p.id()));
  }

  record Task(
      String tenant,
      String signal,
      String kind,
      String state,
      String cutoffAt,
      String cutoffUnixNanos,
      long rows,
      long bytes,
      String note) {}

  /** {@code finishedAt}/{@code finishedUnixNanos} are null while running. */
  record Run(
      String id,
      String policyId,
      String trigger,
      String status,
      String owner,
      String startedAt,
      String startedUnixNanos,
      String finishedAt,
      String finishedUnixNanos,
      String planAt,
      String planUnixNanos,
      long rowsDeleted,
      long bytesDeleted,
      String error,
      List<Task> tasks) {}

  record Runs(List<Run> runs) {}

  static Run run(RetentionRun r) {
    boolean done = r.finishedUnixNanos() != 0;
    return new Run(
        r.id(),
        r.policyId(),
        r.trigger(),
        r.status().tag(),
        r.owner(),
        at(r.startedUnixNanos()),
        Long.toString(r.startedUnixNanos()),
        done ? at(r.finishedUnixNanos()) : null,
        done ? Long.toString(r.finishedUnixNanos()) : null,
        at(r.planUnixNanos()),
        Long.toString(r.planUnixNanos()),
        r.tasks().stream().mapToLong(RetentionTask::rows).sum(),
        r.tasks().stream().mapToLong(RetentionTask::bytes).sum(),
        r.error(),
        r.tasks().stream().map(RetentionJson::task).toList());
  }

  private static Task task(RetentionTask t) {
    return new Task(
        t.tenant(),
        t.signal().jsonName(),
        t.kind().tag(),
        t.state().tag(),
        at(t.cutoffUnixNanos()),
        Long.toString(t.cutoffUnixNanos()),
        t.rows(),
        t.bytes(),
        t.note());
  }

  record Day(String day, String dayUnixNanos, long rows, long bytes) {}

  record DryRunTask(
      String policyId,
      String tenant,
      String signal,
      String kind,
      String cutoffAt,
      String cutoffUnixNanos,
      long rows,
      long bytes,
      List<Day> days,
      String note) {}

  record DryRunResult(String at, String atUnixNanos, List<DryRunTask> tasks) {}

  static DryRunResult dryRun(long atUnixNanos, List<DryRun.Task> tasks) {
    return new DryRunResult(
        at(atUnixNanos),
        Long.toString(atUnixNanos),
        tasks.stream()
            .map(
                t ->
                    new DryRunTask(
                        t.policyId(),
                        t.tenant(),
                        t.signal().jsonName(),
                        t.kind().tag(),
                        at(t.cutoffUnixNanos()),
                        Long.toString(t.cutoffUnixNanos()),
                        t.rows(),
                        t.bytes(),
                        t.days().stream().map(RetentionJson::day).toList(),
                        t.note()))
            .toList());
  }

  private static Day day(Bucket b) {
    return new Day(
        LocalDate.ofInstant(Instant.ofEpochSecond(0, b.startUnixNanos()), ZoneOffset.UTC)
            .toString(),
        Long.toString(b.startUnixNanos()),
        b.rows(),
        b.bytes());
  }

  record Oldest(String tenant, String signal, String at, String unixNanos) {}

  record OldestList(List<Oldest> oldest) {}

  /** The error shape every Sextant HTTP API answers with. */
  record Error(String status, String errorType, String error) {
    static Error of(String errorType, String message) {
      return new Error("error", errorType, message);
    }
  }

  /** 409 for a run asked for while one is in progress; {@code run} is that one, if known. */
  record Conflict(String status, String errorType, String error, Run run) {}

  static String at(long unixNanos) {
    return Instant.ofEpochSecond(
            Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L))
        .toString();
  }
}
