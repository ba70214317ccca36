package dev.sextant.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * One raw metric observation as an agent framework emits it (Mastra's metric events): a name, one
 * value and labels, with no type; what it means is decided when it is queried or turned into
 * series. {@code metadata} is JSON text (the emitting span's metadata), empty when absent.
 */
public record MetricEvent(
    String tenant,
    String id,
    long timeUnixNanos,
    String name,
    double value,
    Map<String, String> labels,
    String traceId,
    String spanId,
    Correlation correlation,
    Cost cost,
    String metadata)
    implements CorrelatedEvent {
  public MetricEvent {
    traceId = traceId == null ? "" : traceId;
    spanId = spanId == null ? "" : spanId;
    CorrelatedEvent.check(tenant, id, name, traceId, spanId);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("metric event value must be finite: " + value);
    }
    labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
    correlation = correlation == null ? Correlation.NONE : correlation;
    cost = cost == null ? Cost.NONE : cost;
    metadata = metadata == null ? "" : metadata;
  }
}
