package dev.sextant.tracespec;

import dev.sextant.model.LogRecord;
import dev.sextant.model.Span;
import java.util.List;

/**
 * What a check reads of one trace: its spans, the logs linked to it (by trace id) and the metric
 * series its spec names, with their samples over {@link #metricRange}.
 */
public record TraceTelemetry(List<Span> spans, List<LogRecord> logs, List<SeriesSamples> metrics) {
  /** Most metric series one check reads. */
  public static final int MAX_SERIES = 1_000;

  public TraceTelemetry {
    spans = List.copyOf(spans);
    logs = logs == null ? List.of() : List.copyOf(logs);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  public static TraceTelemetry ofSpans(List<Span> spans) {
    return new TraceTelemetry(spans, List.of(), List.of());
  }

  /** First span start. */
  public static long startNanos(List<Span> spans) {
    return spans.stream().mapToLong(Span::startTimeUnixNanos).min().orElse(0);
  }

  /** Last span end. */
  public static long endNanos(List<Span> spans) {
    return spans.stream().mapToLong(Span::endTimeUnixNanos).max().orElse(0);
  }

  /**
   * The samples a check of {@code spec} reads, {@code [from, to)} in Unix nanoseconds: from the
   * baseline lookback before the first span to {@code after} past the last span's end.
   */
  public static long[] metricRange(TraceSpec spec, List<Span> spans) {
    long from = Math.max(0, startNanos(spans) - spec.metricWindow().lookbackNanos());
    long to = endNanos(spans) + spec.metricWindow().afterNanos() + 1;
    return new long[] {from, to};
  }
}
