package dev.sextant.tracespec;

import java.util.List;

/**
 * The expected shape of one trace: matchers for its top-level spans (the roots, and spans whose
 * parent is not stored), with the same {@code ordered} and {@code allowExtra} rules as a matcher's
 * children; and expectations on the metrics and logs the trace emits. Ids and timestamps never
 * appear in a spec: it describes a shape, not one trace.
 */
public record TraceSpec(
    String description,
    List<SpanMatcher> spans,
    boolean ordered,
    boolean allowExtra,
    List<MetricExpectation> metrics,
    List<LogExpectation> logs,
    MetricWindow metricWindow) {
  public TraceSpec {
    description = description == null ? "" : description;
    spans = List.copyOf(spans);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    logs = logs == null ? List.of() : List.copyOf(logs);
    metricWindow = metricWindow == null ? MetricWindow.DEFAULT : metricWindow;
  }

  /** A spec of spans only. */
  public TraceSpec(
      String description, List<SpanMatcher> spans, boolean ordered, boolean allowExtra) {
    this(description, spans, ordered, allowExtra, List.of(), List.of(), MetricWindow.DEFAULT);
  }

  /** Whether checking needs the trace's metric series or logs besides its spans. */
  public boolean expectsSignals() {
    return !metrics.isEmpty() || !logs.isEmpty();
  }
}
