package dev.sextant.aggregator;

import dev.sextant.aggregator.guardrails.GuardrailHit;
import dev.sextant.aggregator.guardrails.Guardrails;
import dev.sextant.aggregator.temporality.DeltaToCumulative;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metric pipeline's own metrics. Every counter is registered up front, so a reason that never
 * happened shows as 0 rather than missing. Store latency is measured by the storage decorator
 * ({@code sextant_store_seconds{signal="metrics",op="write"}}).
 */
@Singleton
class PipelineMetrics {
  /** How a batch was answered. */
  enum Outcome {
    COMMITTED,
    RETRYABLE,
    INVALID
  }

  /** Why a stream was closed by the aggregator: the sender broke the protocol. */
  enum Violation {
    CREDIT_EXCEEDED,
    DUPLICATE_BATCH_ID
  }

  private final Counter batchesReceived;
  private final Counter pointsReceived;
  private final Counter pointsCommitted;
  private final Map<Outcome, Counter> batchesAcked = new EnumMap<>(Outcome.class);
  private final Map<BatchRejection, Counter> batchesRejected = new EnumMap<>(BatchRejection.class);
  private final Map<PointRejection, Counter> pointsRejected = new EnumMap<>(PointRejection.class);
  private final Map<BatchRejection, Counter> pointsRejectedWithBatch =
      new EnumMap<>(BatchRejection.class);
  private final Map<Violation, Counter> violations = new EnumMap<>(Violation.class);
  private final Map<GuardrailHit, Counter> guardrailHits = new EnumMap<>(GuardrailHit.class);
  private final Counter deltaDuplicates;
  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger openStreams = new AtomicInteger();

  @Inject
  PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (GuardrailHit hit : GuardrailHit.values()) {
      guardrailHits.put(
          hit,
          Counter.builder("sextant.aggregator.guardrail.hits")
              .description("Points the cardinality guardrails sent to another series, by guardrail")
              .tag("guardrail", hit.tag())
              .register(registry));
    }
    deltaDuplicates =
        Counter.builder("sextant.aggregator.delta.duplicates")
            .description("Delta points skipped as retries of points already counted")
            .register(registry);
    batchesReceived =
        Counter.builder("sextant.aggregator.batches.received")
            .description("Metric batches received from ingest")
            .register(registry);
    pointsReceived =
        Counter.builder("sextant.aggregator.points.received")
            .description("Metric points received from ingest")
            .register(registry);
    pointsCommitted =
        Counter.builder("sextant.aggregator.points.committed")
            .description("Metric points committed to the store")
            .register(registry);
    for (Outcome outcome : Outcome.values()) {
      batchesAcked.put(
          outcome,
          Counter.builder("sextant.aggregator.batches.acked")
              .description("Metric batches answered, by ack status")
              .tag("status", tag(outcome))
              .register(registry));
    }
    for (BatchRejection reason : BatchRejection.values()) {
      batchesRejected.put(
          reason,
          Counter.builder("sextant.aggregator.batches.rejected")
              .description("Metric batches not stored, by reason")
              .tag("reason", reason.tag())
              .register(registry));
      pointsRejectedWithBatch.put(reason, pointsRejectedCounter(registry, reason.tag()));
    }
    for (PointRejection reason : PointRejection.values()) {
      pointsRejected.put(reason, pointsRejectedCounter(registry, reason.tag()));
    }
    for (Violation violation : Violation.values()) {
      violations.put(
          violation,
          Counter.builder("sextant.aggregator.streams.violations")
              .description("Streams closed because the sender broke the pipeline protocol")
              .tag("reason", tag(violation))
              .register(registry));
    }
    Gauge.builder("sextant.aggregator.batches.in.flight", inFlight, AtomicInteger::get)
        .description("Batches received and not yet acknowledged, over all streams")
        .register(registry);
    Gauge.builder("sextant.aggregator.streams.open", openStreams, AtomicInteger::get)
        .description("Open metric pipeline streams")
        .register(registry);
  }

  private static Counter pointsRejectedCounter(MeterRegistry registry, String reason) {
    return Counter.builder("sextant.aggregator.points.rejected")
        .description("Metric points not stored, by reason (point or whole-batch reasons)")
        .tag("reason", reason)
        .register(registry);
  }

  private static String tag(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  void batchReceived(int points) {
    batchesReceived.increment();
    pointsReceived.increment(points);
  }

  void batchCommitted(
      int committedPoints, Tally<PointRejection> rejected, Tally<GuardrailHit> rerouted) {
    batchesAcked.get(Outcome.COMMITTED).increment();
    pointsCommitted.increment(committedPoints);
    rejected.counts().forEach((reason, count) -> pointsRejected.get(reason).increment(count));
    rerouted.counts().forEach((hit, count) -> guardrailHits.get(hit).increment(count));
  }

  void deltaDuplicates(int count) {
    deltaDuplicates.increment(count);
  }

  /** Gauges over the guardrails' active series and the delta state kept in memory. */
  void watch(Guardrails guardrails, DeltaToCumulative deltas) {
    Gauge.builder("sextant.aggregator.delta.series", deltas, DeltaToCumulative::size)
        .description("Delta series whose running sum is held in memory")
        .register(registry);
    Gauge.builder(
            "sextant.aggregator.active.series",
            guardrails,
            g -> g.activeSeries(System.nanoTime()).values().stream().mapToInt(n -> n).sum())
        .description("Series with a point within the guardrails' idle timeout, over all tenants")
        .register(registry);
  }

  void batchRejected(BatchRejection reason, int points) {
    batchesAcked.get(reason.retryable() ? Outcome.RETRYABLE : Outcome.INVALID).increment();
    batchesRejected.get(reason).increment();
    pointsRejectedWithBatch.get(reason).increment(points);
  }

  void violation(Violation violation) {
    violations.get(violation).increment();
  }

  void batchAdmitted() {
    inFlight.incrementAndGet();
  }

  void batchReleased() {
    inFlight.decrementAndGet();
  }

  void streamOpened() {
    openStreams.incrementAndGet();
  }

  void streamClosed() {
    openStreams.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  int openStreams() {
    return openStreams.get();
  }
}
