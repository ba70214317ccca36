package dev.sextant.ingest;

import dev.sextant.ingest.otlp.Normalized;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Ingest's own counters, at {@code /q/metrics}:
 *
 * <ul>
 *   <li>{@code sextant_ingest_records_received_total{signal,transport}}: records in requests that
 *       were decoded;
 *   <li>{@code sextant_ingest_records_accepted_total{signal,transport}}: records committed (for
 *       metrics: acknowledged by the aggregator);
 *   <li>{@code sextant_ingest_records_rejected_total{signal,transport,reason}}: records refused, by
 *       a per-record reason ({@code invalid_trace_id}, ...) or by what refused the whole request
 *       ({@code overloaded}, {@code unavailable}, {@code bad_input}, {@code internal}, {@code
 *       aggregator} for points the aggregator refused);
 *   <li>{@code sextant_ingest_truncations_total{signal,reason}}: cuts made by the limits;
 *   <li>{@code sextant_ingest_requests_total{signal,transport,outcome}}: requests by answer ({@code
 *       ok}, {@code partial}, {@code bad_input}, {@code too_large}, {@code unsupported_media_type},
 *       {@code overloaded}, {@code unavailable}, {@code internal}).
 * </ul>
 *
 * The gauges (records in flight, pipeline queue, credits, pending acks, link state) are registered
 * by the components that own the numbers.
 */
@ApplicationScoped
public class IngestMetrics {
  @Inject MeterRegistry registry;

  public void received(Signal signal, Transport transport, long records) {
    registry
        .counter(
            "sextant.ingest.records.received", "signal", signal.tag(), "transport", transport.tag())
        .increment(records);
  }

  public void accepted(Signal signal, Transport transport, long records) {
    registry
        .counter(
            "sextant.ingest.records.accepted", "signal", signal.tag(), "transport", transport.tag())
        .increment(records);
  }

  public void rejected(Signal signal, Transport transport, String reason, long records) {
    if (records > 0) {
      registry
          .counter(
              "sextant.ingest.records.rejected",
              "signal",
              signal.tag(),
              "transport",
              transport.tag(),
              "reason",
              reason)
          .increment(records);
    }
  }

  /** Counts what normalisation refused and cut. */
  public void normalized(Signal signal, Transport transport, Normalized<?> normalized) {
    normalized
        .rejections()
        .counts()
        .forEach((reason, n) -> rejected(signal, transport, reason.tag(), n));
    normalized
        .truncations()
        .counts()
        .forEach(
            (reason, n) ->
                registry
                    .counter(
                        "sextant.ingest.truncations",
                        "signal",
                        signal.tag(),
                        "reason",
                        reason.tag())
                    .increment(n));
  }

  public void request(Signal signal, Transport transport, String outcome) {
    registry
        .counter(
            "sextant.ingest.requests",
            "signal",
            signal.tag(),
            "transport",
            transport.tag(),
            "outcome",
            outcome)
        .increment();
  }

  /**
   * Span-derived metric points by what became of them: {@code sent} (committed by the aggregator),
   * {@code dropped} (the aggregator was down, full or refused them).
   */
  public void spanMetrics(String outcome, long points) {
    registry.counter("sextant.ingest.span.metrics.points", "outcome", outcome).increment(points);
  }

  /** Points made of Mastra metric events, by outcome (sent, dropped). */
  public void eventMetrics(String outcome, long points) {
    registry.counter("sextant.ingest.event.metrics.points", "outcome", outcome).increment(points);
  }
}
