package dev.sextant.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.ingest.mastra.OtlpAgentSpans;
import dev.sextant.ingest.otlp.LimitSettings;
import dev.sextant.ingest.otlp.OtlpTraceNormalizer;
import dev.sextant.ingest.spanmetrics.SpanMetrics;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spans of {@code @mastra/otel-exporter}, as captured from the real app (two agent runs, two model
 * calls each, and two workflow runs), in OTLP/JSON, brought to the publish API's shape.
 */
class OtlpMastraSpansTest {

  private static OtlpAgentSpans.Shaped shaped() throws Exception {
    byte[] body;
    try (InputStream in =
        OtlpMastraSpansTest.class.getResourceAsStream("/mastra/otlp-traces.json")) {
      body = in.readAllBytes();
    }
    ExportTraceServiceRequest request =
        OtlpJson.parse(body, ExportTraceServiceRequest.newBuilder()).build();
    List<Span> spans =
        new OtlpTraceNormalizer(LimitSettings.UNLIMITED, Duration.ofHours(1))
            .normalize("acme", request, System.currentTimeMillis() * 1_000_000L)
            .records();
    return new OtlpAgentSpans(65536).shape(spans);
  }

  @Test
  void inputsAndOutputsMoveToPayloadsTagsBecomeAListAndEntitiesAreNamed() throws Exception {
    OtlpAgentSpans.Shaped shaped = shaped();
    Span tool =
        shaped.spans().stream()
            .filter(s -> "tool_call".equals(s.attributes().get(MastraAttributes.SPAN_TYPE)))
            .filter(
                s -> "weatherTool".equals(s.attributes().get(MastraAttributes.GEN_AI_TOOL_NAME)))
            .findFirst()
            .orElseThrow();
    assertThat(tool.attributes())
        .containsEntry(MastraAttributes.ENTITY_TYPE, "tool")
        .containsEntry(MastraAttributes.ENTITY_NAME, "weatherTool")
        .doesNotContainKeys("gen_ai.tool.call.arguments", "gen_ai.tool.call.result");
    SpanPayload payload =
        shaped.payloads().stream()
            .filter(p -> p.spanId().equals(tool.spanId()))
            .findFirst()
            .orElseThrow();
    assertThat(payload.input()).isEqualTo("{\"city\":\"Oslo\"}");

    Span agent =
        shaped.spans().stream()
            .filter(s -> "agent_run".equals(s.attributes().get(MastraAttributes.SPAN_TYPE)))
            .findFirst()
            .orElseThrow();
    assertThat(MastraAttributes.tags(agent.attributes())).containsExactly("e2e", "exporter:otlp");
    assertThat(agent.attributes())
        .containsEntry(MastraAttributes.ENTITY_TYPE, "agent")
        .containsEntry(MastraAttributes.ENTITY_NAME, "Travel Agent")
        .doesNotContainKey("mastra.agent_run.input");
    // Plain text that is no JSON is kept as a JSON string.
    SpanPayload agentPayload =
        shaped.payloads().stream()
            .filter(p -> p.spanId().equals(agent.spanId()))
            .findFirst()
            .orElseThrow();
    assertThat(agentPayload.input()).startsWith("\"").contains("weather");
  }

  @Test
  void tokenMetricsCountOnlyTheModelCallSpans() throws Exception {
    List<MetricPoint> points = new SpanMetrics(List.of(1.0)).derive(shaped().spans(), 1L);
    double input =
        points.stream()
            .filter(p -> p.getName().equals(SpanMetrics.TOKENS))
            .filter(p -> p.getLabelsList().stream().anyMatch(l -> l.getValue().equals("input")))
            .mapToDouble(MetricPoint::getNumber)
            .sum();
    assertThat(input).isEqualTo(4 * 120);
  }

  @Test
  void mastrasOwnMetricEventsAreMadeOfTheSpans() throws Exception {
    List<Span> priced =
        new dev.sextant.ingest.cost.CostEstimator(dev.sextant.ingest.cost.PriceTable.bundled())
            .price(shaped().spans());
    List<dev.sextant.model.MetricEvent> events =
        dev.sextant.ingest.mastra.SpanMetricEvents.of(priced);
    java.util.Map<String, Double> sums = new java.util.TreeMap<>();
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    double cost = 0;
    for (dev.sextant.model.MetricEvent e : events) {
      sums.merge(e.name(), e.value(), Double::sum);
      counts.merge(e.name() + "{" + e.labels().getOrDefault("status", "") + "}", 1, Integer::sum);
      cost += e.cost().estimatedCost() == null ? 0 : e.cost().estimatedCost();
    }
    // Two agent runs of two model calls each; two workflow runs that fail; one tool that fails.
    assertThat(sums)
        .containsEntry("mastra_model_total_input_tokens", 480.0)
        .containsEntry("mastra_model_total_output_tokens", 120.0)
        .containsEntry("mastra_model_input_cache_read_tokens", 80.0);
    assertThat(counts)
        .containsEntry("mastra_agent_duration_ms{ok}", 2)
        .containsEntry("mastra_workflow_duration_ms{error}", 2)
        .containsEntry("mastra_tool_duration_ms{ok}", 1)
        .containsEntry("mastra_tool_duration_ms{error}", 1);
    assertThat(cost)
        .isCloseTo(
            4 * (100 * 0.15 + 20 * 0.075 + 30 * 0.60) / 1e6,
            org.assertj.core.data.Offset.offset(1e-15));
    assertThat(events)
        .filteredOn(e -> e.name().equals("mastra_agent_duration_ms"))
        .allSatisfy(e -> assertThat(e.correlation().get("entityName")).isEqualTo("Travel Agent"));
    // A retried export makes the same ids, so the store keeps each event once.
    assertThat(dev.sextant.ingest.mastra.SpanMetricEvents.of(priced)).isEqualTo(events);
  }
}
