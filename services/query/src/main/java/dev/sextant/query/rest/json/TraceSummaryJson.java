package dev.sextant.query.rest.json;

/** One trace found by search. The root fields are empty while the root span is not stored. */
public record TraceSummaryJson(
    String traceId,
    String rootServiceName,
    String rootSpanName,
    String startTimeUnixNano,
    long durationNanos,
    int spanCount,
    int errorCount) {}
