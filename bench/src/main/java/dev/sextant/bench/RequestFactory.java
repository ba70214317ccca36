package dev.sextant.bench;

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
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Builds realistic OTLP requests: agent-like traces (a root and its children, gen_ai-style
 * attributes), logs linked to traces, and counter points over a bounded set of series.
 */
final class RequestFactory {
  private static final String[] MODELS = {"gpt-4o", "claude-sonnet", "llama-3-70b", "mock-model"};
  private static final KeyValue[] MODEL_ATTRIBUTES =
      java.util.Arrays.stream(MODELS).map(m -> kv("model", m)).toArray(KeyValue[]::new);
  private static final String[] OPERATIONS = {
    "agent.run", "llm.call", "tool.call", "workflow.step"
  };

  private final BenchOptions options;
  private final SplittableRandom random = new SplittableRandom();
  private final Resource resource;
  private final long[] seriesValues;
  private KeyValue[] agentAttributes;
  private final long startNanos = System.currentTimeMillis() * 1_000_000L;
  private long seriesCursor;

  RequestFactory(BenchOptions options) {
    this.options = options;
    this.seriesValues = new long[options.series()];
    this.resource =
        Resource.newBuilder()
            .addAttributes(kv("service.name", "bench-agent"))
            .addAttributes(kv("service.instance.id", "bench-1"))
            .addAttributes(kv("deployment.environment", "bench"))
            .build();
  }

  /** A traces request of {@code options.batch()} spans; each new trace id goes to the sink. */
  synchronized ExportTraceServiceRequest traces(Consumer<String> traceIds) {
    long now = System.currentTimeMillis() * 1_000_000L;
    List<Span> spans = new ArrayList<>(options.batch());
    byte[] traceId = null;
    byte[] rootId = null;
    for (int i = 0; i < options.batch(); i++) {
      boolean root = i % options.spansPerTrace() == 0;
      if (root) {
        traceId = randomBytes(16);
        rootId = randomBytes(8);
        traceIds.accept(hex(traceId));
      }
      long start = now - random.nextLong(1_000_000_000L);
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(traceId))
              .setSpanId(ByteString.copyFrom(root ? rootId : randomBytes(8)))
              .setName(OPERATIONS[random.nextInt(OPERATIONS.length)])
              .setKind(root ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_INTERNAL)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + random.nextLong(1_000_000L, 500_000_000L))
              .setStatus(
                  Status.newBuilder()
                      .setCode(
                          random.nextInt(50) == 0
                              ? Status.StatusCode.STATUS_CODE_ERROR
                              : Status.StatusCode.STATUS_CODE_OK));
      if (!root) {
        span.setParentSpanId(ByteString.copyFrom(rootId));
      }
      addAttributes(span::addAttributes);
      spans.add(span.build());
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource)
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("sextant-bench"))
                        .addAllSpans(spans)))
        .build();
  }

  synchronized ExportLogsServiceRequest logs() {
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeLogs.Builder scope =
        ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("sextant-bench"));
    for (int i = 0; i < options.batch(); i++) {
      LogRecord.Builder log =
          LogRecord.newBuilder()
              .setTimeUnixNano(now - random.nextLong(1_000_000_000L))
              .setObservedTimeUnixNano(now)
              .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
              .setSeverityText("INFO")
              .setBody(
                  AnyValue.newBuilder()
                      .setStringValue("step finished in " + random.nextInt(900) + " ms"))
              .setTraceId(ByteString.copyFrom(randomBytes(16)))
              .setSpanId(ByteString.copyFrom(randomBytes(8)));
      addAttributes(log::addAttributes);
      scope.addLogRecords(log);
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
        .build();
  }

  /**
   * Cumulative counter points for the next {@code batch} series in turn, so every one of {@code
   * --series} series (spread over {@code --metrics} names) gets points at a steady cadence; each
   * series' value only grows.
   */
  synchronized ExportMetricsServiceRequest metrics() {
    long now = System.currentTimeMillis() * 1_000_000L;
    int metricCount = Math.min(options.metrics(), options.series());
    Sum.Builder[] sums = new Sum.Builder[metricCount];
    for (int i = 0; i < options.batch(); i++) {
      int series = (int) (seriesCursor++ % options.series());
      int metric = series % metricCount;
      if (sums[metric] == null) {
        sums[metric] =
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      }
      seriesValues[series] += 1 + random.nextInt(10);
      sums[metric].addDataPoints(
          NumberDataPoint.newBuilder()
              .setStartTimeUnixNano(startNanos)
              .setTimeUnixNano(now)
              .setAsDouble(seriesValues[series])
              .addAttributes(agentAttribute(series / metricCount))
              .addAttributes(MODEL_ATTRIBUTES[series % MODELS.length]));
    }
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (int metric = 0; metric < metricCount; metric++) {
      if (sums[metric] != null) {
        scope.addMetrics(
            Metric.newBuilder().setName("bench.requests." + metric).setSum(sums[metric]));
      }
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope))
        .build();
  }

  /**
   * The "agent" attribute of a series, made once: a sender reuses what does not change from one
   * export to the next, and the load generator should spend its CPU share on sending.
   */
  private KeyValue agentAttribute(int agent) {
    if (agentAttributes == null) {
      agentAttributes = new KeyValue[options.series()];
    }
    KeyValue attribute = agentAttributes[agent];
    if (attribute == null) {
      attribute = kv("agent", "agent-" + agent);
      agentAttributes[agent] = attribute;
    }
    return attribute;
  }

  private void addAttributes(Consumer<KeyValue> sink) {
    int n = options.attributes();
    for (int a = 0; a < n; a++) {
      switch (a % 4) {
        case 0 -> sink.accept(kv("gen_ai.request.model", MODELS[random.nextInt(MODELS.length)]));
        case 1 ->
            sink.accept(
                KeyValue.newBuilder()
                    .setKey("gen_ai.usage.tokens." + a)
                    .setValue(AnyValue.newBuilder().setIntValue(random.nextInt(4000)))
                    .build());
        case 2 ->
            sink.accept(
                KeyValue.newBuilder()
                    .setKey("cost.usd." + a)
                    .setValue(AnyValue.newBuilder().setDoubleValue(random.nextDouble()))
                    .build());
        default -> sink.accept(kv("attr." + a, "value-" + random.nextInt(10_000)));
      }
    }
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    bytes[0] |= 1; // never all zero: an all-zero id is invalid
    return bytes;
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
