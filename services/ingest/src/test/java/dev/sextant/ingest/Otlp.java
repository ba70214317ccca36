package dev.sextant.ingest;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Builders of OTLP requests for tests. */
public final class Otlp {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Otlp() {}

  public static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  public static ByteString randomId(int bytes) {
    byte[] id = new byte[bytes];
    do {
      RANDOM.nextBytes(id);
    } while (id[0] == 0);
    return ByteString.copyFrom(id);
  }

  public static ByteString traceId() {
    return randomId(16);
  }

  public static ByteString spanId() {
    return randomId(8);
  }

  public static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  public static KeyValue attr(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  public static Resource resource(String serviceName) {
    return Resource.newBuilder().addAttributes(attr("service.name", serviceName)).build();
  }

  /** A span that ends one millisecond after it starts, one second ago. */
  public static Span.Builder span(ByteString traceId, ByteString spanId, String name) {
    long end = nowNanos() - 1_000_000_000L;
    return Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(end - 1_000_000L)
        .setEndTimeUnixNano(end);
  }

  public static ExportTraceServiceRequest traces(String service, Span.Builder... spans) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("test-scope").setVersion("1.2"));
    for (Span.Builder span : spans) {
      scope.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().setResource(resource(service)).addScopeSpans(scope))
        .build();
  }

  public static LogRecord.Builder log(String body) {
    long now = nowNanos();
    return LogRecord.newBuilder()
        .setTimeUnixNano(now - 2_000_000L)
        .setObservedTimeUnixNano(now - 1_000_000L)
        .setSeverityNumber(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_WARN)
        .setSeverityText("WARN")
        .setBody(AnyValue.newBuilder().setStringValue(body));
  }

  public static ExportLogsServiceRequest logs(String service, LogRecord.Builder... records) {
    ScopeLogs.Builder scope =
        ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test-scope"));
    for (LogRecord.Builder record : records) {
      scope.addLogRecords(record);
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder().setResource(resource(service)).addScopeLogs(scope))
        .build();
  }

  public static NumberDataPoint.Builder number(double value) {
    long now = nowNanos();
    return NumberDataPoint.newBuilder()
        .setStartTimeUnixNano(now - 60_000_000_000L)
        .setTimeUnixNano(now)
        .setAsDouble(value);
  }

  public static Metric counter(String name, NumberDataPoint.Builder... points) {
    Sum.Builder sum =
        Sum.newBuilder()
            .setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    for (NumberDataPoint.Builder point : points) {
      sum.addDataPoints(point);
    }
    return Metric.newBuilder().setName(name).setUnit("1").setSum(sum).build();
  }

  public static Metric gauge(String name, NumberDataPoint.Builder... points) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (NumberDataPoint.Builder point : points) {
      gauge.addDataPoints(point);
    }
    return Metric.newBuilder().setName(name).setGauge(gauge).build();
  }

  public static Metric histogram(String name, List<Double> bounds, List<Long> counts, double sum) {
    long now = nowNanos();
    HistogramDataPoint.Builder point =
        HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(now - 60_000_000_000L)
            .setTimeUnixNano(now)
            .setCount(counts.stream().mapToLong(Long::longValue).sum())
            .setSum(sum)
            .addAllExplicitBounds(bounds)
            .addAllBucketCounts(counts);
    return Metric.newBuilder()
        .setName(name)
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(point))
        .build();
  }

  public static ExportMetricsServiceRequest metrics(String service, Metric... metrics) {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (Metric metric : metrics) {
      scope.addMetrics(metric);
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(resource(service)).addScopeMetrics(scope))
        .build();
  }

  /**
   * The serialized message with the UTF-8 of {@code marker} replaced by as many bytes that are not
   * UTF-8 (0xFF): the framing stays valid, the string field does not.
   */
  public static byte[] withInvalidUtf8(byte[] message, String marker) {
    byte[] needle = marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i + needle.length <= message.length; i++) {
      if (java.util.Arrays.equals(message, i, i + needle.length, needle, 0, needle.length)) {
        byte[] corrupt = message.clone();
        java.util.Arrays.fill(corrupt, i, i + needle.length, (byte) 0xFF);
        return corrupt;
      }
    }
    throw new IllegalArgumentException("marker not found");
  }
}
