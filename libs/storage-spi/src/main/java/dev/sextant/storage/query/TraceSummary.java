package dev.sextant.storage.query;

/**
 * One trace found by search, summarised over all its stored spans. The root fields are empty when
 * the root span has not (yet) been stored.
 */
public record TraceSummary(
    String traceId,
    String rootServiceName,
    String rootSpanName,
    long startTimeUnixNanos,
    long durationNanos,
    int spanCount,
    int errorCount) {}
