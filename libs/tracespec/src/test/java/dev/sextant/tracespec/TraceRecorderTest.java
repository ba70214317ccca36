package dev.sextant.tracespec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceRecorderTest {
  static List<Span> run(String traceId, long toolMs, int steps) {
    Spans s =
        new Spans(traceId).agentRoot("mastra.entity.id", "a-" + traceId, "thread.id", traceId);
    for (int i = 0; i < steps; i++) {
      s.add(2 + i, 1, "llm generation", 10 + i * 100, 90, "gen_ai.request.model", "gpt-4o-mini");
    }
    return s.add(20, 1, "tool call get_weather", 500, toolMs, "gen_ai.tool.name", "get_weather")
        .build();
  }

  @Test
  void aRecordedSpecMatchesItsTraceAndAnotherRunOfTheSameShape() {
    TraceSpec spec = TraceRecorder.record(run(Spans.TRACE, 300, 2), RecordOptions.defaults());
    String yaml = SpecWriter.write(spec, SpecFormat.YAML);
    assertThat(yaml)
        .isEqualTo(
            """
            spans:
            - name: "agent run weather-agent"
              type: "agent_run"
              kind: "INTERNAL"
              status: "OK"
              attributes:
                mastra.entity.name: "weather-agent"
              children:
              - name: "llm generation"
                kind: "INTERNAL"
                count: 2
                attributes:
                  gen_ai.request.model: "gpt-4o-mini"
              - name: "tool call get_weather"
                kind: "INTERNAL"
                attributes:
                  gen_ai.tool.name: "get_weather"
            """);
    TraceSpec reread = SpecParser.parse(yaml, SpecFormat.YAML);
    assertThat(TraceMatcher.check(reread, run(Spans.TRACE, 300, 2)).matched()).isTrue();
    String other = "1234567890abcdef1234567890abcdef";
    assertThat(TraceMatcher.check(reread, run(other, 900, 2)).matched())
        .as("ids, times, usage are not part of the spec")
        .isTrue();
    assertThat(TraceMatcher.check(reread, run(other, 300, 3)).matched()).isFalse();
  }

  @Test
  void generalisedCountsAcceptAnyNumberOfRepeats() {
    TraceSpec spec =
        TraceRecorder.record(
            run(Spans.TRACE, 300, 2), RecordOptions.defaults().withGeneraliseCounts(true));
    assertThat(spec.spans().get(0).children().get(0).count()).isEqualTo(CountRange.atLeast(1));
    assertThat(TraceMatcher.check(spec, run(Spans.TRACE, 300, 5)).matched()).isTrue();
  }

  @Test
  void namesWithWildcardCharactersAreRecordedLiterally() {
    List<Span> trace = new Spans().add(1, 0, "GET /items/*?", 0, 1).build();
    TraceSpec spec = TraceRecorder.record(trace, RecordOptions.defaults());
    assertThat(TraceMatcher.check(spec, trace).matched()).isTrue();
    List<Span> other = new Spans().add(1, 0, "GET /items/42x", 0, 1).build();
    assertThat(TraceMatcher.check(spec, other).matched()).isFalse();
  }

  @Test
  void valuesKeepTheirTypesThroughBothFormats() {
    List<Span> trace =
        new Spans()
            .add(
                1,
                0,
                "typed",
                0,
                1,
                "s42",
                "42",
                "strue",
                "true",
                "snull",
                "null",
                "sno",
                "no",
                "s1e3",
                "1e3",
                "sempty",
                "",
                "n",
                42L,
                "d",
                1.5,
                "b",
                false,
                "l",
                List.of("x", 2L),
                "m",
                java.util.Map.of("k", "v"))
            .build();
    TraceSpec spec = TraceRecorder.record(trace, RecordOptions.defaults());
    for (SpecFormat f : SpecFormat.values()) {
      String text = SpecWriter.write(spec, f);
      TraceSpec reread = SpecParser.parse(text, f);
      assertThat(reread).as(text).isEqualTo(spec);
      assertThat(TraceMatcher.check(reread, trace).matched()).as(text).isTrue();
    }
  }
}
