package dev.sextant.ingest.mastra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.ingest.cost.CostEstimator;
import dev.sextant.ingest.cost.PriceTable;
import dev.sextant.ingest.otlp.RejectReason;
import dev.sextant.ingest.otlp.Rejections;
import dev.sextant.ingest.spanmetrics.SpanMetrics;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Span records of Mastra's platform exporter, as captured from the real app (tests/mastra-app). */
class PublishedSpansTest {
  private final PublishedSpanMapper mapper = new PublishedSpanMapper(new PayloadLimit(64));

  static JsonNode resource(String name, String key) throws Exception {
    try (InputStream in = PublishedSpansTest.class.getResourceAsStream("/mastra/" + name)) {
      return JsonValues.MAPPER.readTree(in).get(key);
    }
  }

  private List<PublishedSpanMapper.Mapped> mapAll(JsonNode records, Rejections rejections) {
    List<PublishedSpanMapper.Mapped> mapped = new ArrayList<>();
    for (JsonNode record : records) {
      PublishedSpanMapper.Mapped m = mapper.map("acme", record, "mastra", rejections);
      if (m != null) {
        mapped.add(m);
      }
    }
    return mapped;
  }

  @Test
  void anAgentRunKeepsItsTreeEntityUsageAndPayloads() throws Exception {
    Rejections rejections = new Rejections();
    List<PublishedSpanMapper.Mapped> mapped =
        mapAll(resource("platform-spans.json", "spans"), rejections);
    assertThat(rejections.total()).isZero();
    assertThat(mapped).hasSize(7);
    Span tool = find(mapped, "tool_call").span();
    assertThat(tool.attributes())
        .containsEntry(MastraAttributes.ENTITY_TYPE, "tool")
        .containsEntry(MastraAttributes.GEN_AI_TOOL_NAME, "weatherTool")
        .containsEntry(MastraAttributes.GEN_AI_OPERATION, "execute_tool")
        .containsEntry("mastra.metadata.runId", tool.attributes().get("mastra.metadata.runId"));
    assertThat(find(mapped, "tool_call").payload().input()).isEqualTo("{\"city\":\"Oslo\"}");
    Span root = find(mapped, "agent_run").span();
    assertThat(root.isRoot()).isTrue();
    assertThat(MastraAttributes.tags(root.attributes()))
        .containsExactly("e2e", "exporter:platform");
    Span inference = find(mapped, "model_inference").span();
    assertThat(inference.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(inference.attributes())
        .containsEntry(MastraAttributes.USAGE_INPUT, 120L)
        .containsEntry(MastraAttributes.USAGE_CACHE_READ, 20L)
        .containsEntry(MastraAttributes.USAGE_REASONING, 5L)
        .containsEntry(MastraAttributes.GEN_AI_REQUEST_MODEL, "gpt-4o-mini");
    // The 64-character limit of this test cuts the generation's prompt.
    assertThat(find(mapped, "model_generation").payload().truncated()).isTrue();
    assertThat(find(mapped, "model_generation").payload().input()).endsWith(PayloadLimit.MARK);
  }

  @Test
  void tokensAndCostCountEachModelCallOnceThoughStepsAndTheGenerationRepeatTheUsage()
      throws Exception {
    List<Span> spans =
        mapAll(resource("platform-spans.json", "spans"), new Rejections()).stream()
            .map(PublishedSpanMapper.Mapped::span)
            .toList();
    List<Span> priced = new CostEstimator(PriceTable.bundled()).price(spans);
    double cost = 0;
    for (Span span : priced) {
      if (span.attributes().get(MastraAttributes.COST_AMOUNT) instanceof Double d) {
        cost += d;
        assertThat(span.attributes()).containsEntry(MastraAttributes.COST_SOURCE, "price_table");
      }
    }
    // Two calls of gpt-4o-mini: 100 uncached + 20 cached input, 30 output tokens each.
    assertThat(cost)
        .isCloseTo(
            2 * (100 * 0.15 + 20 * 0.075 + 30 * 0.60) / 1e6,
            org.assertj.core.data.Offset.offset(1e-15));
    List<MetricPoint> points = new SpanMetrics(List.of(1.0)).derive(priced, 1L);
    double input =
        points.stream()
            .filter(p -> p.getName().equals(SpanMetrics.TOKENS))
            .filter(p -> p.getLabelsList().stream().anyMatch(l -> l.getValue().equals("input")))
            .mapToDouble(MetricPoint::getNumber)
            .sum();
    assertThat(input).isEqualTo(240);
  }

  @Test
  void badRecordsAreRefusedOneByOneAndOddOnesKeptAsDefined() throws Exception {
    String records =
        """
        [
          {"spanId":"aa","name":"no trace"},
          {"traceId":"xyz","spanId":"aa","startedAt":"2026-11-25T01:52:44.353Z"},
          {"traceId":"ab","spanId":"cd","startedAt":"not a time"},
          {"traceId":"ab","spanId":"cd","startedAt":"2026-11-25T01:52:44.353Z",
           "endedAt":"2026-11-25T01:52:44.000Z"},
          42,
          {"traceId":"AB","spanId":"CD","parentSpanId":"ee","name":"future",
           "spanType":"quantum_leap","startedAt":"2026-11-25T01:52:44.353Z","endedAt":null,
           "errorInfo":{"message":"boom","id":"E1","domain":"D","category":"USER"}}
        ]
        """;
    Rejections rejections = new Rejections();
    List<PublishedSpanMapper.Mapped> mapped =
        mapAll(JsonValues.MAPPER.readTree(records), rejections);
    assertThat(rejections.counts())
        .containsEntry(RejectReason.MISSING_ID, 1)
        .containsEntry(RejectReason.INVALID_TRACE_ID, 1)
        .containsEntry(RejectReason.MISSING_TIME, 1)
        .containsEntry(RejectReason.END_BEFORE_START, 1)
        .containsEntry(RejectReason.INVALID_RECORD, 1);
    assertThat(mapped).hasSize(1);
    Span kept = mapped.getFirst().span();
    // Short hex ids are left-padded as OpenTelemetry pads them; an unknown type is kept as sent.
    assertThat(kept.traceId()).isEqualTo("000000000000000000000000000000ab");
    assertThat(kept.spanId()).isEqualTo("00000000000000cd");
    assertThat(kept.parentSpanId()).isEqualTo("00000000000000ee");
    assertThat(kept.attributes())
        .containsEntry(MastraAttributes.SPAN_TYPE, "quantum_leap")
        .containsEntry(MastraAttributes.RUNNING, true)
        .containsEntry(MastraAttributes.ERROR_TYPE, "E1")
        .containsEntry(MastraAttributes.ERROR_DOMAIN, "D");
    assertThat(kept.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(kept.events())
        .singleElement()
        .satisfies(e -> assertThat(e.name()).isEqualTo("exception"));
    assertThat(mapped.getFirst().payload()).isNull();
  }

  @Test
  void aCostSentByTheClientWins() throws Exception {
    JsonNode record =
        JsonValues.MAPPER.readTree(
            """
            {"traceId":"ab","spanId":"cd","spanType":"model_inference","startedAt":"2026-11-25T01:52:44.353Z",
             "endedAt":"2026-11-25T01:52:45.353Z",
             "attributes":{"model":"gpt-4o-mini","provider":"openai","usage":{"inputTokens":1000,"outputTokens":10},
                           "costContext":{"estimatedCost":0.5,"costUnit":"USD"}}}
            """);
    Span span = mapper.map("acme", record, "mastra", new Rejections()).span();
    Span priced = new CostEstimator(PriceTable.bundled()).price(List.of(span)).getFirst();
    assertThat(priced.attributes())
        .containsEntry(MastraAttributes.COST_AMOUNT, 0.5)
        .containsEntry(MastraAttributes.COST_SOURCE, "client");
  }

  private static PublishedSpanMapper.Mapped find(
      List<PublishedSpanMapper.Mapped> mapped, String type) {
    return mapped.stream()
        .filter(m -> type.equals(m.span().attributes().get(MastraAttributes.SPAN_TYPE)))
        .findFirst()
        .orElseThrow();
  }

  static Map<String, Object> attributes(Span span) {
    return span.attributes();
  }
}
