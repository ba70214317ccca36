package dev.sextant.tracespec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {
  static final String YAML =
      """
      description: a weather agent answers once
      spans:
        - name: "agent run *"
          type: agent_run
          kind: internal
          status: OK
          duration: {max: 30s}
          attributes:
            mastra.entity.name: weather-agent
            gen_ai.usage.input_tokens: {min: 1}
            mastra.tags: {exists: true}
            error.type: {absent: true}
          ordered: true
          children:
            - name: {regex: "llm( generation)?"}
              count: "1.."
              attributes:
                gen_ai.request.model: {regex: "gpt-4o.*"}
            - name: "tool call *"
              count: "0..1"
      """;

  static final String JSON =
      """
      {"description": "a weather agent answers once",
       "spans": [{"name": "agent run *", "type": "agent_run", "kind": "INTERNAL", "status": "ok",
         "duration": {"max": "30s"},
         "attributes": {"mastra.entity.name": "weather-agent",
           "gen_ai.usage.input_tokens": {"min": 1}, "mastra.tags": {"exists": true},
           "error.type": {"absent": true}},
         "ordered": true,
         "children": [
           {"name": {"regex": "llm( generation)?"}, "count": "1..",
            "attributes": {"gen_ai.request.model": {"regex": "gpt-4o.*"}}},
           {"name": "tool call *", "count": "0..1"}]}]}
      """;

  @Test
  void yamlAndJsonReadTheSameSpec() {
    TraceSpec yaml = SpecParser.parse(YAML, SpecFormat.YAML);
    TraceSpec json = SpecParser.parse(JSON, SpecFormat.JSON);
    assertThat(yaml).isEqualTo(json);
    SpanMatcher root = yaml.spans().get(0);
    assertThat(root.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(root.status()).isEqualTo(StatusCode.OK);
    assertThat(root.duration()).isEqualTo(new DurationBounds(-1, 30_000_000_000L));
    assertThat(root.attributes())
        .containsEntry("mastra.entity.name", new AttributePredicate.Equals("weather-agent"))
        .containsEntry("gen_ai.usage.input_tokens", new AttributePredicate.Range(1.0, null))
        .containsEntry("mastra.tags", new AttributePredicate.Exists())
        .containsEntry("error.type", new AttributePredicate.Absent());
    assertThat(root.children().get(0).count()).isEqualTo(CountRange.atLeast(1));
    assertThat(root.children().get(0).name().kind()).isEqualTo(TextPattern.Kind.REGEX);
    assertThat(root.children().get(1).count()).isEqualTo(new CountRange(0, 1));
  }

  @Test
  void writtenSpecsReadBackEqual() {
    TraceSpec spec = SpecParser.parse(YAML, SpecFormat.YAML);
    for (SpecFormat f : SpecFormat.values()) {
      assertThat(SpecParser.parse(SpecWriter.write(spec, f), f)).isEqualTo(spec);
    }
  }

  @Test
  void countsHaveEveryForm() {
    assertThat(CountRange.parse("c", "2")).isEqualTo(CountRange.exactly(2));
    assertThat(CountRange.parse("c", "0")).isEqualTo(CountRange.exactly(0));
    assertThat(CountRange.parse("c", "..3")).isEqualTo(new CountRange(0, 3));
    assertThat(CountRange.parse("c", "2..5")).isEqualTo(new CountRange(2, 5));
    assertThat(CountRange.parse("c", "1..")).isEqualTo(CountRange.atLeast(1));
  }

  @Test
  void durationsAreGoStyle() {
    assertThat(Durations.parseNanos("d", "1h30m")).isEqualTo(5_400_000_000_000L);
    assertThat(Durations.parseNanos("d", "1.5s")).isEqualTo(1_500_000_000L);
    assertThat(Durations.parseNanos("d", "100us")).isEqualTo(100_000L);
    assertThat(Durations.format(1_500_000_000L)).isEqualTo("1500ms");
  }

  @Test
  void malformedSpecsAreRefusedWithThePlaceAndTheReason() {
    assertInvalid("", SpecFormat.YAML, "the spec is empty");
    assertInvalid("spans: [", SpecFormat.YAML, "not valid YAML");
    assertInvalid("{\"spans\": [}", SpecFormat.JSON, "not valid JSON");
    assertInvalid("- a\n- b", SpecFormat.YAML, "a spec is an object");
    assertInvalid("description: x", SpecFormat.YAML, "missing \"spans\"");
    assertInvalid("spans: {name: a}", SpecFormat.YAML, "spans: expected a list");
    assertInvalid("spans: [a]", SpecFormat.YAML, "spans[0]: a span matcher is an object");
    assertInvalid(
        "spans: [{name: a, nmae: b}]",
        SpecFormat.YAML,
        "spans[0].nmae: unknown key \"nmae\", expected one of [allowExtra, attributes,");
    assertInvalid(
        "spans: [{name: {regex: 'a('}}]",
        SpecFormat.YAML,
        "spans[0].name.regex: invalid regex /a(/");
    assertInvalid(
        "spans: [{name: {regex: a, glob: b}}]",
        SpecFormat.YAML,
        "give exactly one of glob or regex");
    assertInvalid("spans: [{count: many}]", SpecFormat.YAML, "spans[0].count: count must be");
    assertInvalid("spans: [{count: '5..2'}]", SpecFormat.YAML, "maximum below its minimum");
    assertInvalid("spans: [{count: -1}]", SpecFormat.YAML, "count must be within 0..100000");
    assertInvalid("spans: [{count: 99999999999}]", SpecFormat.YAML, "too large");
    assertInvalid("spans: [{status: FAILED}]", SpecFormat.YAML, "spans[0].status: unknown value");
    assertInvalid("spans: [{kind: [a]}]", SpecFormat.YAML, "spans[0].kind: expected text");
    assertInvalid("spans: [{duration: {max: soon}}]", SpecFormat.YAML, "spans[0].duration.max");
    assertInvalid("spans: [{duration: {min: 2s, max: 1s}}]", SpecFormat.YAML, "max is below min");
    assertInvalid("spans: [{duration: {}}]", SpecFormat.YAML, "give min, max or both");
    assertInvalid(
        "spans: [{attributes: {k: {exists: false}}}]",
        SpecFormat.YAML,
        "spans[0].attributes.k.exists: write exists: true");
    assertInvalid(
        "spans: [{attributes: {k: {equals: 1, regex: a}}}]",
        SpecFormat.YAML,
        "a predicate is one of");
    assertInvalid("spans: [{attributes: {k: null}}]", SpecFormat.YAML, "write {absent: true}");
    assertInvalid("spans: [{attributes: {k: {min: x}}}]", SpecFormat.YAML, "expected a number");
    assertInvalid("spans: [{attributes: {k: {min: 5, max: 1}}}]", SpecFormat.YAML, "max is below");
    assertInvalid("spans: [{ordered: yes please}]", SpecFormat.YAML, "expected true or false");
    assertInvalid("spans: []\nmetric: []", SpecFormat.YAML, "metric: unknown key \"metric\"");
    assertInvalid("spans: []\nspans: []", SpecFormat.YAML, "not valid YAML");
    assertInvalid("{\"spans\": [], \"spans\": []}", SpecFormat.JSON, "not valid JSON");
  }

  @Test
  void hostileDocumentsAreRefusedCheaply() {
    // Billion laughs: each alias level multiplies the size by ten.
    StringBuilder laughs = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      laughs.append(c).append(": &").append(c).append(" [");
      laughs.append(String.join(",", java.util.Collections.nCopies(10, "*" + p))).append("]\n");
    }
    laughs.append("spans: []\n");
    long started = System.nanoTime();
    assertThatThrownBy(() -> SpecParser.parse(laughs.toString(), SpecFormat.YAML))
        .isInstanceOf(TraceSpecException.class);
    assertThat(System.nanoTime() - started).as("no alias expansion").isLessThan(2_000_000_000L);

    String deep = "spans: " + "[".repeat(500) + "]".repeat(500);
    assertInvalid(deep, SpecFormat.YAML, "not valid YAML");
    String deepJson = "{\"spans\": " + "[".repeat(500) + "]".repeat(500) + "}";
    assertInvalid(deepJson, SpecFormat.JSON, "not valid JSON");

    String huge = "description: " + "x".repeat(SpecFormat.MAX_CHARS) + "\nspans: []";
    assertInvalid(huge, SpecFormat.YAML, "at most 1000000");

    StringBuilder many = new StringBuilder("spans: [");
    for (int i = 0; i <= SpecParser.MAX_MATCHERS; i++) {
      many.append("{},");
    }
    many.append("{}]");
    assertInvalid(many.toString(), SpecFormat.YAML, "at most 10000 matchers");

    assertInvalid(
        "spans: [{name: {regex: '" + "a".repeat(1001) + "'}}]", SpecFormat.YAML, "at most 1000");
  }

  @Test
  void anEmptyMatcherMatchesAnySpan() {
    TraceSpec spec = SpecParser.parse("spans: [{}]", SpecFormat.YAML);
    assertThat(spec.spans()).hasSize(1);
    assertThat(TraceMatcher.check(spec, new Spans().add(1, 0, "x", 0, 1).build()).matched())
        .isTrue();
    assertThat(spec.spans().get(0).children()).isEqualTo(List.of());
  }

  private static void assertInvalid(String text, SpecFormat format, String message) {
    assertThatThrownBy(() -> SpecParser.parse(text, format))
        .isInstanceOfSatisfying(
            TraceSpecException.class,
            e -> assertThat(e.reason()).isEqualTo(TraceSpecException.Reason.INVALID_SPEC))
        .hasMessageContaining(message);
  }
}
