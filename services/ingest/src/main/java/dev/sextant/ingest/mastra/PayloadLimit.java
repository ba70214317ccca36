package dev.sextant.ingest.mastra;

import dev.sextant.model.SpanPayload;

/**
 * Cuts span inputs and outputs to a size: Mastra sends whole prompts and answers (128 KiB strings
 * by default), which belong in the payload store, bounded, not in the span.
 */
record PayloadLimit(int maxChars) {
  static final String MARK = "…[truncated]";

  /** The payload of a span, or null when it has neither input nor output. */
  SpanPayload payload(
      String tenant, String traceId, String spanId, long start, String input, String output) {
    if (input.isEmpty() && output.isEmpty()) {
      return null;
    }
    boolean truncated = input.length() > maxChars || output.length() > maxChars;
    return new SpanPayload(tenant, traceId, spanId, start, cut(input), cut(output), truncated);
  }

  private String cut(String text) {
    return text.length() <= maxChars ? text : text.substring(0, maxChars) + MARK;
  }
}
