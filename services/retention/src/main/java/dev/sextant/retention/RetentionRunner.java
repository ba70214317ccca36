package dev.sextant.retention;

import dev.sextant.service.errors.Failures;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs retention: computes the cutoffs from the clock and the policy, deletes each signal's older
 * rows in turn, and records the run. At most one run at a time in this process; a trigger while one
 * runs starts nothing and gets the running one back. A signal that fails is recorded and the others
 * are still cleaned; nothing a store does can make this throw or stop later runs.
 */
@Singleton
class RetentionRunner {
  private static final Logger LOG = Logger.getLogger(RetentionRunner.class);

  /** What a trigger did. */
  sealed interface Triggered {}

  /** A run started; {@code finished} completes (never fails) with the finished run. */
  record Started(RetentionRun run, Uni<RetentionRun> finished) implements Triggered {}

  /** Nothing started: this run is in progress. */
  record AlreadyRunning(RetentionRun running) implements Triggered {}

  private final StorageComponent storage;
  private final Clock clock;
  private final RetentionPolicy policy;
  private final Duration deleteTimeout;
  private final RunHistory history;
  private final RetentionMetrics metrics;

  private long lastId;
  private RetentionRun running;

  @Inject
  RetentionRunner(
      StorageComponent storage, Clock clock, RetentionConfig config, RetentionMetrics metrics) {
    this.storage = storage;
    this.clock = clock;
    this.policy = RetentionPolicy.of(config);
    if (config.deleteTimeout().isNegative() || config.deleteTimeout().isZero()) {
      throw new IllegalArgumentException("sextant.retention.delete-timeout must be positive");
    }
    this.deleteTimeout = config.deleteTimeout();
    this.history = new RunHistory(config.historySize());
    this.metrics = metrics;
  }

  RetentionPolicy policy() {
    return policy;
  }

  Triggered trigger(RunTrigger trigger) {
    RetentionRun run;
    synchronized (this) {
      if (running != null) {
        metrics.skipped(trigger);
        LOG.infof(
            "retention (%s) skipped: run %d (%s) is in progress since %s",
            trigger.tag(), running.id(), running.trigger().tag(), running.started());
        return new AlreadyRunning(running);
      }
      Instant now = clock.instant();
      run = RetentionRun.started(++lastId, trigger, now, policy.cutoffs(now));
      running = run;
    }
    metrics.started();
    LOG.infof(
        "retention run %d (%s) started: deleting spans before %s, logs before %s, metric points"
            + " before %s",
        run.id(),
        trigger.tag(),
        run.cutoffs().get(Signal.SPANS),
        run.cutoffs().get(Signal.LOGS),
        run.cutoffs().get(Signal.METRIC_POINTS));
    Uni<RetentionRun> finished = execute(run).memoize().indefinitely();
    // Runs whether or not the caller waits for it.
    finished.subscribe().with(ignored -> {});
    return new Started(run, finished);
  }

  /** The run in progress, if any, then finished runs, newest first. */
  List<RetentionRun> runs(int limit) {
    RetentionRun current;
    synchronized (this) {
      current = running;
    }
    List<RetentionRun> finished = history.newestFirst(limit);
    return current == null
        ? finished
        : Stream.concat(Stream.of(current), finished.stream()).limit(limit).toList();
  }

  private Uni<RetentionRun> execute(RetentionRun run) {
    long startNanos = System.nanoTime();
    return Multi.createFrom()
        .items(Signal.values())
        // One signal after the other: retention should not compete with ingest for the store.
        .onItem()
        .transformToUniAndConcatenate(signal -> delete(run, signal))
        .collect()
        .asList()
        .onFailure()
        .recoverWithItem(
            bug -> List.of(new Outcome(null, 0, "unexpected failure: " + Failures.messageOf(bug))))
        .map(outcomes -> finish(run, outcomes, System.nanoTime() - startNanos));
  }

  /** One signal's part of a run: rows deleted, or why not ({@code signal} null: the whole run). */
  private record Outcome(Signal signal, long deleted, String error) {}

  private Uni<Outcome> delete(RetentionRun run, Signal signal) {
    long cutoff = UnixNanos.of(run.cutoffs().get(signal));
    return Uni.createFrom()
        .deferred(() -> store(signal, cutoff))
        .ifNoItem()
        .after(deleteTimeout)
        .failWith(
            () ->
                new StorageException(
                    StorageException.Code.UNAVAILABLE,
                    "the store did not finish deleting within " + deleteTimeout))
        .map(rows -> new Outcome(signal, rows == null ? 0 : rows, null))
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.errorf(failure, "retention run %d: deleting %s failed", run.id(), signal.tag());
              return new Outcome(signal, 0, signal.tag() + ": " + Failures.messageOf(failure));
            });
  }

  private Uni<Long> store(Signal signal, long cutoffUnixNanos) {
    return switch (signal) {
      // Payloads, scores and feedback belong to traces and go with the spans; raw metric events
      // with the metric points (ADR 0010). The count reported is the spans' and the points'.
      case SPANS ->
          storage
              .spans()
              .deleteOlderThan(cutoffUnixNanos)
              .call(() -> storage.payloads().deleteOlderThan(cutoffUnixNanos))
              .call(() -> storage.scores().deleteOlderThan(cutoffUnixNanos))
              .call(() -> storage.feedback().deleteOlderThan(cutoffUnixNanos));
      case LOGS -> storage.logs().deleteOlderThan(cutoffUnixNanos);
      case METRIC_POINTS ->
          storage
              .metrics()
              .deleteOlderThan(cutoffUnixNanos)
              .call(() -> storage.metricEvents().deleteOlderThan(cutoffUnixNanos));
    };
  }

  private RetentionRun finish(RetentionRun run, List<Outcome> outcomes, long elapsedNanos) {
    Map<Signal, Long> deleted = new EnumMap<>(Signal.class);
    List<String> errors = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      if (outcome.error() != null) {
        errors.add(outcome.error());
      } else {
        deleted.put(outcome.signal(), outcome.deleted());
      }
    }
    RetentionRun finished = run.finished(clock.instant(), deleted, errors);
    synchronized (this) {
      history.add(finished);
      running = null;
    }
    metrics.finished(finished);
    String summary =
        String.format(
            "retention run %d (%s) %s in %d ms: deleted %d spans, %d logs, %d metric points",
            run.id(),
            run.trigger().tag(),
            finished.status().tag(),
            Duration.ofNanos(elapsedNanos).toMillis(),
            finished.deleted(Signal.SPANS),
            finished.deleted(Signal.LOGS),
            finished.deleted(Signal.METRIC_POINTS));
    if (errors.isEmpty()) {
      LOG.info(summary);
    } else {
      LOG.error(summary + "; errors: " + finished.error());
    }
    return finished;
  }
}
