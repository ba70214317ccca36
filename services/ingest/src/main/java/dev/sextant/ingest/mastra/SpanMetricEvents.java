package dev.sextant.ingest.mastra;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The metric events Mastra emits itself when a span ends (mastra-observability.md §2.2), made from
 * the spans of {@code @mastra/otel-exporter}, which carries no metrics: durations of agent,
 * workflow, tool and model runs with their {@code status}, and token totals with their cost. So
 * Mastra's metric routes and Studio's dashboard work for apps that send OTLP only. Over OTLP the
 * usage is on the model call (the CLIENT span), not on the generation, so token events are one per
 * call; their sums are the same. Ids derive from the span, so a retried export rewrites them.
 */
public final class SpanMetricEvents {
  private SpanMetricEvents() {}

  public static List<MetricEvent> of(List<Span> spans) {
    List<MetricEvent> events = new ArrayList<>();
    for (Span span : spans) {
      Map<String, Object> a = span.attributes();
      if (!(a.get(MastraAttributes.SPAN_TYPE) instanceof String type)
          || MastraAttributes.isRunning(a)) {
        continue;
      }
      String duration =
          switch (type) {
            case "agent_run" -> "mastra_agent_duration_ms";
            case "workflow_run" -> "mastra_workflow_duration_ms";
            case "tool_call", "mcp_tool_call", "provider_tool_call" -> "mastra_tool_duration_ms";
            case "model_generation" -> "mastra_model_duration_ms";
            default -> null;
          };
      Correlation correlation = correlation(span);
      if (duration != null) {
        String status = span.statusCode() == StatusCode.ERROR ? "error" : "ok";
        events.add(
            event(
                span,
                duration,
                span.durationNanos() / 1e6,
                Map.of("status", status),
                correlation,
                Cost.NONE));
      }
      if (span.kind() == SpanKind.CLIENT) {
        tokens(span, correlation, events);
      }
    }
    return events;
  }

  private static void tokens(Span span, Correlation correlation, List<MetricEvent> out) {
    Map<String, Object> a = span.attributes();
    String provider = MastraAttributes.text(a, MastraAttributes.GEN_AI_PROVIDER);
    String model = MastraAttributes.text(a, MastraAttributes.GEN_AI_REQUEST_MODEL);
    Double amount =
        a.get(MastraAttributes.COST_AMOUNT) instanceof Number n ? n.doubleValue() : null;
    String unit = MastraAttributes.text(a, MastraAttributes.COST_UNIT);
    // The call's whole cost goes on its input total, as Mastra allocates a provided cost: the
    // dashboard sums cost over the input and output totals, so it counts once.
    Map<String, String> tokenMetrics = new LinkedHashMap<>();
    tokenMetrics.put(MastraAttributes.USAGE_INPUT, "mastra_model_total_input_tokens");
    tokenMetrics.put(MastraAttributes.USAGE_OUTPUT, "mastra_model_total_output_tokens");
    tokenMetrics.put(MastraAttributes.USAGE_CACHE_READ, "mastra_model_input_cache_read_tokens");
    tokenMetrics.put(MastraAttributes.USAGE_CACHE_WRITE, "mastra_model_input_cache_write_tokens");
    tokenMetrics.put(MastraAttributes.USAGE_REASONING, "mastra_model_output_reasoning_tokens");
    boolean costPlaced = false;
    for (Map.Entry<String, String> metric : tokenMetrics.entrySet()) {
      if (a.get(metric.getKey()) instanceof Number n && n.doubleValue() > 0) {
        boolean carriesCost =
            !costPlaced && amount != null && metric.getKey().equals(MastraAttributes.USAGE_INPUT);
        costPlaced |= carriesCost;
        Cost cost =
            new Cost(provider, model, carriesCost ? amount : null, carriesCost ? unit : "", "");
        out.add(event(span, metric.getValue(), n.doubleValue(), Map.of(), correlation, cost));
      }
    }
  }

  private static Correlation correlation(Span span) {
    Map<String, Object> a = span.attributes();
    Map<String, String> fields = new LinkedHashMap<>();
    put(fields, Correlation.ENTITY_TYPE, MastraAttributes.text(a, MastraAttributes.ENTITY_TYPE));
    put(fields, Correlation.ENTITY_ID, MastraAttributes.text(a, MastraAttributes.ENTITY_ID));
    put(fields, Correlation.ENTITY_NAME, MastraAttributes.text(a, MastraAttributes.ENTITY_NAME));
    put(fields, Correlation.SERVICE_NAME, span.serviceName());
    for (String key : MastraAttributes.PROMOTED_METADATA) {
      put(fields, key, MastraAttributes.metadata(a, key));
    }
    return new Correlation(fields, MastraAttributes.tags(a));
  }

  private static void put(Map<String, String> fields, String key, String value) {
    if (value != null) {
      fields.put(key, value);
    }
  }

  private static MetricEvent event(
      Span span,
      String name,
      double value,
      Map<String, String> labels,
      Correlation correlation,
      Cost cost) {
    String id =
        UUID.nameUUIDFromBytes(
                (span.traceId() + span.spanId() + name).getBytes(StandardCharsets.UTF_8))
            .toString();
    return new MetricEvent(
        span.tenant(),
        id,
        span.endTimeUnixNanos(),
        name,
        value,
        labels,
        span.traceId(),
        span.spanId(),
        correlation,
        cost,
        "");
  }
}
