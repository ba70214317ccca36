package dev.sextant.tracespec;

import java.util.List;

/**
 * The expected shape of one trace: matchers for its top-level spans (the roots, and spans whose
 * parent is not stored), with the same {@code ordered} and {@code allowExtra} rules as a matcher's
 * children. Ids and timestamps never appear in a spec: it describes a shape, not one trace.
 */
public record TraceSpec(
    String description, List<SpanMatcher> spans, boolean ordered, boolean allowExtra) {
  public TraceSpec {
    description = description == null ? "" : description;
    spans = List.copyOf(spans);
  }
}
