package dev.sextant.tracespec;

import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the spans of one test trace; ids are small numbers, times milliseconds from a base. */
final class Spans {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final long BASE = 1_714_564_800_000_000_000L;
  private final String traceId;
  private final List<Span> spans = new ArrayList<>();

  Spans() {
    this(TRACE);
  }

  Spans(String traceId) {
    this.traceId = traceId;
  }

  /** Adds a span; {@code parent} 0 is none. Attributes alternate key, value. */
  Spans add(int id, int parent, String name, long startMs, long durationMs, Object... attrs) {
    return add(id, parent, name, StatusCode.UNSET, startMs, durationMs, attrs);
  }

  Spans add(
      int id,
      int parent,
      String name,
      StatusCode status,
      long startMs,
      long durationMs,
      Object... attrs) {
    Map<String, Object> attributes = new java.util.LinkedHashMap<>();
    for (int i = 0; i < attrs.length; i += 2) {
      attributes.put((String) attrs[i], attrs[i + 1]);
    }
    long start = BASE + startMs * 1_000_000L;
    spans.add(
        new Span(
            "default",
            traceId,
            spanId(id),
            parent == 0 ? "" : spanId(parent),
            name,
            SpanKind.INTERNAL,
            start,
            start + durationMs * 1_000_000L,
            status,
            "",
            "weather-agent",
            "mastra",
            "1.0",
            Map.of("service.name", "weather-agent"),
            attributes,
            List.of(),
            List.of(),
            0));
    return this;
  }

  /** The root of a Mastra-like agent run, 1.2s, with these extra attributes. */
  Spans agentRoot(Object... more) {
    Object[] attrs = {
      "mastra.span.type", "agent_run",
      "mastra.entity.name", "weather-agent",
      "gen_ai.usage.input_tokens", 312L
    };
    Object[] all = java.util.Arrays.copyOf(attrs, attrs.length + more.length);
    System.arraycopy(more, 0, all, attrs.length, more.length);
    return add(1, 0, "agent run weather-agent", StatusCode.OK, 0, 1200, all);
  }

  List<Span> build() {
    return List.copyOf(spans);
  }

  static String spanId(int n) {
    return String.format("%016x", 0x1000L + n);
  }
}
