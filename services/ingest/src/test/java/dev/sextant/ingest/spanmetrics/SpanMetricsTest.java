package dev.sextant.ingest.spanmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpanMetricsTest {
  private static final long MS = 1_000_000L;
  private static final long NOW = 1_767_225_600_000_000_000L;
  private final SpanMetrics metrics = new SpanMetrics(List.of(0.1, 1.0));
  private int nextId = 1;

  private Span span(
      String name, SpanKind kind, StatusCode status, long durationMs, Map<String, Object> attrs) {
    return new Span(
        "acme",
        "0af7651916cd43dd8448eb211c80319c",
        String.format("%016x", nextId++),
        "",
        name,
        kind,
        NOW,
        NOW + durationMs * MS,
        status,
        null,
        "agent-svc",
        null,
        null,
        Map.of("service.name", "agent-svc"),
        attrs,
        List.of(),
        List.of(),
        0);
  }

  private static Map<String, String> labels(MetricPoint point) {
    return point.getLabelsList().stream()
        .collect(Collectors.toMap(Label::getName, Label::getValue));
  }

  private static List<MetricPoint> named(List<MetricPoint> points, String name) {
    return points.stream().filter(p -> p.getName().equals(name)).toList();
  }

  @Test
  void callsCountSpansByStatusAndDurationsFillTheBuckets() {
    List<MetricPoint> points =
        metrics.derive(
            List.of(
                span("GET /a", SpanKind.SERVER, StatusCode.OK, 50, Map.of()),
                span("GET /a", SpanKind.SERVER, StatusCode.OK, 100, Map.of()),
                span("GET /a", SpanKind.SERVER, StatusCode.ERROR, 2_000, Map.of())),
            NOW);

    List<MetricPoint> calls = named(points, SpanMetrics.CALLS);
    assertThat(calls)
        .allSatisfy(
            p -> {
              assertThat(p.getType()).isEqualTo(MetricType.METRIC_TYPE_COUNTER);
              assertThat(p.getTemporality()).isEqualTo(Temporality.TEMPORALITY_DELTA);
              assertThat(p.getTimeUnixNano()).isEqualTo(NOW);
            });
    Map<String, Double> byStatus = new HashMap<>();
    calls.forEach(p -> byStatus.put(labels(p).get("status.code"), p.getNumber()));
    assertThat(byStatus).containsOnly(Map.entry("OK", 2.0), Map.entry("ERROR", 1.0));
    assertThat(labels(calls.getFirst()))
        .containsEntry("service.name", "agent-svc")
        .containsEntry("span.kind", "SERVER")
        .containsEntry("span.name", "GET /a")
        .doesNotContainKey("entity.type");

    MetricPoint duration = named(points, SpanMetrics.DURATION).getFirst();
    assertThat(duration.getUnit()).isEqualTo("s");
    assertThat(duration.getHistogram().getBucketCountsList()).containsExactly(2L, 0L, 1L);
    assertThat(duration.getHistogram().getCount()).isEqualTo(3);
    assertThat(duration.getHistogram().getSum())
        .isEqualTo(2.15, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(labels(duration)).doesNotContainKey("status.code");
  }

  @Test
  void mastraAndGenAiSpansAreLabelledWithTheirEntity() {
    List<MetricPoint> points =
        metrics.derive(
            List.of(
                span(
                    "agent run",
                    SpanKind.INTERNAL,
                    StatusCode.OK,
                    5,
                    Map.of("mastra.span.type", "agent_run", "gen_ai.agent.name", "weather")),
                span(
                    "execute_tool get",
                    SpanKind.INTERNAL,
                    StatusCode.OK,
                    5,
                    Map.of(
                        "gen_ai.operation.name",
                        "execute_tool",
                        "gen_ai.tool.name",
                        "getWeather"))),
            NOW);

    assertThat(named(points, SpanMetrics.CALLS))
        .extracting(p -> labels(p).get("entity.type") + "/" + labels(p).get("entity.name"))
        .containsExactlyInAnyOrder("agent/weather", "tool/getWeather");
  }

  @Test
  void tokensCountOnceByTypeFromModelCallsOnly() {
    Map<String, Object> usage =
        Map.of(
            "gen_ai.request.model", "gpt-4o",
            "gen_ai.provider.name", "openai",
            "gen_ai.usage.input_tokens", 100L,
            "gen_ai.usage.output_tokens", 20L,
            "gen_ai.usage.cache_read.input_tokens", 50L,
            "gen_ai.usage.audio_input_tokens", 3L,
            "gen_ai.usage.audio_output_tokens", 4L);
    Map<String, Object> agentTotal = new HashMap<>(usage);
    agentTotal.put("mastra.span.type", "agent_run");
    List<MetricPoint> points =
        metrics.derive(
            List.of(
                span("chat gpt-4o", SpanKind.CLIENT, StatusCode.OK, 5, usage),
                span("agent", SpanKind.INTERNAL, StatusCode.OK, 5, agentTotal)),
            NOW);

    Map<String, Double> byType = new HashMap<>();
    named(points, SpanMetrics.TOKENS)
        .forEach(
            p -> {
              assertThat(labels(p))
                  .containsEntry("gen_ai.request.model", "gpt-4o")
                  .containsEntry("gen_ai.provider.name", "openai");
              byType.put(labels(p).get("gen_ai.token.type"), p.getNumber());
            });
    assertThat(byType)
        .containsOnly(
            Map.entry("input", 100.0),
            Map.entry("output", 20.0),
            Map.entry("cache_read", 50.0),
            Map.entry("audio", 7.0));
  }
}
