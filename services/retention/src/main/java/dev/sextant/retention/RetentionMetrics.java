package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionRun;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionTask;
import dev.sextant.storage.retention.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retention's own metrics, so that retention which silently never runs shows: alert on {@code
 * time() - sextant_retention_last_success_timestamp_seconds}; and so that a size cap that deletes
 * data before its age shows: {@code sextant_retention_size_cap_exceeded == 1}. Counters are
 * registered up front, so a combination that never happened reads 0 rather than missing.
 */
final class RetentionMetrics {
  private static final String SKIPPED = "skipped";

  private final MeterRegistry registry;
  private final Map<RunTrigger, Map<String, Counter>> runs = new EnumMap<>(RunTrigger.class);
  private final Map<RetentionSignal, Counter> rows = new EnumMap<>(RetentionSignal.class);
  private final Map<RetentionSignal, Counter> bytes = new EnumMap<>(RetentionSignal.class);
  private final Map<RetentionSignal, Counter> sizeCapRows = new EnumMap<>(RetentionSignal.class);
  private final Map<String, AtomicLong> sizeCapExceeded = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> governedBytes = new ConcurrentHashMap<>();
  private final AtomicLong lastSuccessMillis = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();
  private final Counter resumed;
  private final Counter interrupted;

  RetentionMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (RunTrigger trigger : RunTrigger.values()) {
      Map<String, Counter> byOutcome = new HashMap<>();
      for (String outcome :
          new String[] {
            RunStatus.SUCCEEDED.tag(), RunStatus.FAILED.tag(), RunStatus.INTERRUPTED.tag(), SKIPPED
          }) {
        byOutcome.put(
            outcome,
            Counter.builder("sextant.retention.runs")
                .description(
                    "Retention runs by trigger and outcome (skipped: the policy was running or a"
                        + " run served the firing; interrupted: the lease was lost or the store"
                        + " failed; the run is resumed)")
                .tag("trigger", trigger.tag())
                .tag("outcome", outcome)
                .register(registry));
      }
      runs.put(trigger, byOutcome);
    }
    for (RetentionSignal signal : RetentionSignal.values()) {
      rows.put(
          signal,
          Counter.builder("sextant.retention.rows.deleted")
              .description("Rows deleted by retention, by signal")
              .tag("signal", signal.tag())
              .register(registry));
      bytes.put(
          signal,
          Counter.builder("sextant.retention.bytes.deleted")
              .description("Stored bytes of the rows deleted by retention, by signal")
              .tag("signal", signal.tag())
              .register(registry));
      sizeCapRows.put(
          signal,
          Counter.builder("sextant.retention.size.cap.rows.deleted")
              .description("Rows a size cap deleted before their max age, by signal")
              .tag("signal", signal.tag())
              .register(registry));
    }
    Gauge.builder(
            "sextant.retention.last.success.timestamp",
            lastSuccessMillis,
            millis -> millis.get() / 1000.0)
        .description("When the last successful retention run finished (Unix seconds; 0: never)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("sextant.retention.running", running, AtomicInteger::get)
        .description("Retention runs in progress in this instance")
        .register(registry);
    resumed =
        Counter.builder("sextant.retention.runs.resumed")
            .description("Runs continued after the instance running them stopped")
            .register(registry);
    interrupted = Counter.builder("sextant.retention.runs.interrupted.here").register(registry);
  }

  void started() {
    running.incrementAndGet();
  }

  void resumed() {
    resumed.increment();
  }

  void interrupted() {
    running.decrementAndGet();
    interrupted.increment();
  }

  void finished(RetentionRun run, RetentionSignal signal) {
    running.decrementAndGet();
    runs.get(triggerOf(run)).get(run.status().tag()).increment();
    for (RetentionTask task : run.tasks()) {
      rows.get(signal).increment(task.rows());
      bytes.get(signal).increment(task.bytes());
      if (task.kind() == RetentionTask.Kind.SIZE) {
        sizeCapRows.get(signal).increment(task.rows());
      }
    }
    if (run.status() == RunStatus.SUCCEEDED) {
      lastSuccessMillis.set(run.finishedUnixNanos() / 1_000_000);
    }
  }

  void skipped(RunTrigger trigger) {
    runs.get(trigger).get(SKIPPED).increment();
  }

  /** What a policy's size cap found: the bytes its rows take, and whether that is over the cap. */
  void sizeCap(RetentionPolicy policy, long governed, boolean exceeded) {
    gauge(
            sizeCapExceeded,
            "sextant.retention.size.cap.exceeded",
            "1 while the rows a policy governs take more than its size cap",
            policy)
        .set(exceeded ? 1 : 0);
    gauge(
            governedBytes,
            "sextant.retention.size.bytes",
            "Bytes the rows of a policy with a size cap take, as last measured",
            policy)
        .set(governed);
  }

  private AtomicLong gauge(
      Map<String, AtomicLong> gauges, String name, String description, RetentionPolicy policy) {
    return gauges.computeIfAbsent(
        policy.id(),
        id -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get)
              .description(description)
              .tag("policy", id)
              .tag("signal", policy.signal().tag())
              .register(registry);
          return value;
        });
  }

  private static RunTrigger triggerOf(RetentionRun run) {
    try {
      return RunTrigger.valueOf(run.trigger().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return RunTrigger.MANUAL;
    }
  }
}
