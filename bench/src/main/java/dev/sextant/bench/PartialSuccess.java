package dev.sextant.bench;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** How many records an OTLP response says were rejected. */
final class PartialSuccess {
  private PartialSuccess() {}

  static long rejected(Object response) {
    return switch (response) {
      case ExportTraceServiceResponse r -> r.getPartialSuccess().getRejectedSpans();
      case ExportLogsServiceResponse r -> r.getPartialSuccess().getRejectedLogRecords();
      case ExportMetricsServiceResponse r -> r.getPartialSuccess().getRejectedDataPoints();
      default -> 0;
    };
  }
}
