package dev.sextant.model;

/**
 * What went into and came out of a span (an agent's prompt and answer, a tool's arguments and
 * result), as JSON text, stored apart from the span so that large payloads never weigh on trace
 * search. {@code input} and {@code output} are empty when absent; {@code truncated} says that
 * ingest cut one of them to its size limit. {@code startTimeUnixNanos} is the span's start, by
 * which retention deletes payloads with their spans.
 */
public record SpanPayload(
    String tenant,
    String traceId,
    String spanId,
    long startTimeUnixNanos,
    String input,
    String output,
    boolean truncated) {
  public SpanPayload {
    TraceIds.requireTraceId(traceId, "traceId");
    TraceIds.requireSpanId(spanId, "spanId");
    input = input == null ? "" : input;
    output = output == null ? "" : output;
  }

  public boolean isEmpty() {
    return input.isEmpty() && output.isEmpty();
  }
}
