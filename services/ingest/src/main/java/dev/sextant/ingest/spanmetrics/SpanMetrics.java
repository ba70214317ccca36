package dev.sextant.ingest.spanmetrics;

import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics derived from spans, as delta points of one export (the aggregator adds them up into
 * cumulative series; the batch is {@code additive}, since many ingest replicas and requests feed
 * the same series):
 *
 * <ul>
 *   <li>{@code sextant.span.calls} (counter): spans by service, kind, name, status and Mastra
 *       entity; errors are the calls with {@code status.code="ERROR"}.
 *   <li>{@code sextant.span.duration} (histogram, seconds): the same labels without the status.
 *   <li>{@code sextant.gen_ai.tokens} (counter): for model calls, tokens by service, provider,
 *       model and {@code gen_ai.token.type} (input, output, cache_read, cache_write, reasoning,
 *       audio, image).
 * </ul>
 *
 * <p>Labels use the OpenTelemetry attribute names. The entity is what the span is about: an agent,
 * workflow, step, tool or model, named from the GenAI and Mastra attributes. Label sets stop being
 * written when spans with them stop arriving; the aggregator's running sums for them then leave
 * memory after its idle timeout.
 */
public final class SpanMetrics {
  public static final String CALLS = "sextant.span.calls";
  public static final String DURATION = "sextant.span.duration";
  public static final String TOKENS = "sextant.gen_ai.tokens";

  /** Token usage attributes by token type; one type may sum several attributes. */
  private static final Map<String, List<String>> TOKEN_ATTRIBUTES = new LinkedHashMap<>();

  static {
    TOKEN_ATTRIBUTES.put("input", List.of("gen_ai.usage.input_tokens"));
    TOKEN_ATTRIBUTES.put("output", List.of("gen_ai.usage.output_tokens"));
    TOKEN_ATTRIBUTES.put(
        "cache_read",
        List.of("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"));
    TOKEN_ATTRIBUTES.put(
        "cache_write",
        List.of(
            "gen_ai.usage.cache_creation.input_tokens",
            "gen_ai.usage.cache_creation_input_tokens"));
    TOKEN_ATTRIBUTES.put("reasoning", List.of("gen_ai.usage.reasoning_tokens"));
    TOKEN_ATTRIBUTES.put(
        "audio", List.of("gen_ai.usage.audio_input_tokens", "gen_ai.usage.audio_output_tokens"));
    TOKEN_ATTRIBUTES.put(
        "image", List.of("gen_ai.usage.image_input_tokens", "gen_ai.usage.image_output_tokens"));
  }

  private final double[] bounds;

  public SpanMetrics(List<Double> durationBucketsSeconds) {
    this.bounds = DeltaHistogram.bounds(durationBucketsSeconds, "span duration buckets");
  }

  /** The delta points for these stored spans, timed at {@code nowUnixNanos}. */
  public List<MetricPoint> derive(List<Span> spans, long nowUnixNanos) {
    // Keyed by records, not label maps: hashing a map of labels per span was most of this cost.
    Map<CallKey, long[]> calls = new LinkedHashMap<>();
    Map<SpanKey, DeltaHistogram> durations = new LinkedHashMap<>();
    Map<Map<String, String>, long[]> tokens = new LinkedHashMap<>();
    for (Span span : spans) {
      SpanKey key = SpanKey.of(span);
      durations
          .computeIfAbsent(key, l -> new DeltaHistogram(bounds))
          .add(span.durationNanos() / 1e9);
      calls.computeIfAbsent(new CallKey(key, span.statusCode().name()), l -> new long[1])[0]++;
      if (isModelCall(span)) {
        addTokens(span, tokens);
      }
    }
    List<MetricPoint> points = new ArrayList<>();
    calls.forEach(
        (key, count) ->
            points.add(
                point(CALLS, "{span}", MetricType.METRIC_TYPE_COUNTER, key.labels(), nowUnixNanos)
                    .setNumber(count[0])
                    .build()));
    durations.forEach(
        (key, d) ->
            points.add(
                point(DURATION, "s", MetricType.METRIC_TYPE_HISTOGRAM, key.labels(), nowUnixNanos)
                    .setHistogram(d.histogram())
                    .build()));
    tokens.forEach(
        (labels, count) ->
            points.add(
                point(TOKENS, "{token}", MetricType.METRIC_TYPE_COUNTER, labels, nowUnixNanos)
                    .setNumber(count[0])
                    .build()));
    return points;
  }

  /** The labels of a span's duration series. */
  private record SpanKey(
      String service, String kind, String name, String entityType, String entityName) {
    static SpanKey of(Span span) {
      Entity entity = Entity.of(span);
      return new SpanKey(
          span.serviceName(),
          span.kind().name(),
          span.name(),
          entity == null ? null : entity.type(),
          entity == null ? null : entity.name());
    }

    Map<String, String> labels() {
      Map<String, String> labels = new TreeMap<>();
      labels.put("service.name", service);
      labels.put("span.kind", kind);
      labels.put("span.name", name);
      if (entityType != null) {
        labels.put("entity.type", entityType);
        labels.put("entity.name", entityName);
      }
      return labels;
    }
  }

  /** The labels of a span's calls series: its duration labels and its status. */
  private record CallKey(SpanKey span, String status) {
    Map<String, String> labels() {
      Map<String, String> labels = span.labels();
      labels.put("status.code", status);
      return labels;
    }
  }

  private static MetricPoint.Builder point(
      String name, String unit, MetricType type, Map<String, String> labels, long time) {
    MetricPoint.Builder point =
        MetricPoint.newBuilder()
            .setName(name)
            .setUnit(unit)
            .setType(type)
            .setTemporality(Temporality.TEMPORALITY_DELTA)
            .setTimeUnixNano(time);
    labels.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            point.addLabels(Label.newBuilder().setName(k).setValue(v));
          }
        });
    return point;
  }

  /**
   * A span whose usage is a model call's own: kind CLIENT. Mastra repeats a call's usage on
   * model_step and sums it on model_generation (publish API), while its OTLP exporter puts usage on
   * the model_inference span alone, which it makes the CLIENT span; the publish API mapping gives
   * that span the same kind. Counting CLIENT spans counts each call once whichever exporter sent
   * the trace (ADR 0010).
   */
  static boolean isModelCall(Span span) {
    return span.kind() == SpanKind.CLIENT;
  }

  private static void addTokens(Span span, Map<Map<String, String>, long[]> tokens) {
    for (Map.Entry<String, List<String>> type : TOKEN_ATTRIBUTES.entrySet()) {
      long sum = 0;
      boolean any = false;
      for (String attribute : type.getValue()) {
        if (span.attributes().get(attribute) instanceof Number n && n.doubleValue() > 0) {
          sum += n.longValue();
          any = true;
        }
      }
      if (any) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("service.name", span.serviceName());
        labels.put("gen_ai.provider.name", text(span, "gen_ai.provider.name", "gen_ai.system"));
        labels.put(
            "gen_ai.request.model", text(span, "gen_ai.request.model", "gen_ai.response.model"));
        labels.put("gen_ai.token.type", type.getKey());
        tokens.computeIfAbsent(labels, l -> new long[1])[0] += sum;
      }
    }
  }

  static String text(Span span, String... attributes) {
    for (String attribute : attributes) {
      if (span.attributes().get(attribute) instanceof String s && !s.isEmpty()) {
        return s;
      }
    }
    return "";
  }
}
