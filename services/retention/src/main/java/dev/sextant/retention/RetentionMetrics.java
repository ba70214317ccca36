package dev.sextant.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retention's own metrics, so that retention which silently never runs shows: alert on {@code
 * time() - sextant_retention_last_success_timestamp_seconds}. Every counter is registered up front,
 * so a combination that never happened reads 0 rather than missing.
 */
@Singleton
class RetentionMetrics {
  private static final String SKIPPED = "skipped";

  private final Map<RunTrigger, Map<String, Counter>> runs = new EnumMap<>(RunTrigger.class);
  private final Map<Signal, Counter> deleted = new EnumMap<>(Signal.class);
  private final AtomicLong lastSuccessMillis = new AtomicLong();
  private final AtomicInteger running = new AtomicInteger();

  @Inject
  RetentionMetrics(MeterRegistry registry) {
    for (RunTrigger trigger : RunTrigger.values()) {
      Map<String, Counter> byOutcome = new java.util.HashMap<>();
      for (String outcome :
          new String[] {RunStatus.SUCCEEDED.tag(), RunStatus.FAILED.tag(), SKIPPED}) {
        byOutcome.put(
            outcome,
            Counter.builder("sextant.retention.runs")
                .description("Retention runs, by trigger and outcome (skipped: one was running)")
                .tag("trigger", trigger.tag())
                .tag("outcome", outcome)
                .register(registry));
      }
      runs.put(trigger, byOutcome);
    }
    for (Signal signal : Signal.values()) {
      deleted.put(
          signal,
          Counter.builder("sextant.retention.rows.deleted")
              .description("Rows deleted by retention, by signal")
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
        .description("1 while a retention run is in progress")
        .register(registry);
  }

  void started() {
    running.set(1);
  }

  void finished(RetentionRun run) {
    running.set(0);
    runs.get(run.trigger()).get(run.status().tag()).increment();
    run.deleted().forEach((signal, rows) -> deleted.get(signal).increment(rows));
    if (run.status() == RunStatus.SUCCEEDED) {
      lastSuccessMillis.set(run.finished().toEpochMilli());
    }
  }

  void skipped(RunTrigger trigger) {
    runs.get(trigger).get(SKIPPED).increment();
  }
}
