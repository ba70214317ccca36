package dev.sextant.tracespec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceDiffTest {
  private static final String OTHER = "1234567890abcdef1234567890abcdef";

  @Test
  void twoRunsOfTheSameShapeAreIdenticalExceptTiming() {
    TraceDiff d =
        TraceDiff.of(
            TraceRecorderTest.run(Spans.TRACE, 300, 2), TraceRecorderTest.run(OTHER, 600, 2));
    assertThat(d.identical()).isTrue();
    assertThat(d.summary()).isEqualTo("same shape (4 spans), 1 timing differences");
    assertThat(d.entries())
        .containsExactly(
            new TraceDiff.Entry(
                TraceDiff.Change.DURATION,
                "agent run weather-agent > tool call get_weather",
                "300ms -> 600ms, +100%"));
  }

  @Test
  void structuralAndAttributeChangesAreListed() {
    List<Span> a =
        new Spans()
            .add(1, 0, "root", 0, 100)
            .add(2, 1, "llm", 1, 10, "model", "gpt-4o", "thread.id", "t1")
            .add(3, 1, "tool a", 20, 10)
            .build();
    List<Span> b =
        new Spans(OTHER)
            .add(1, 0, "root", 0, 100)
            .add(2, 1, "llm", 1, 10, "model", "gpt-4o-mini", "thread.id", "t2")
            .add(4, 1, "tool b", 20, 10)
            .add(5, 4, "http", 21, 5)
            .build();
    TraceDiff d = TraceDiff.of(a, b);
    assertThat(d.identical()).isFalse();
    assertThat(d.report())
        .isEqualTo(
            """
            3 structural differences, 0 timing differences (3 spans in a, 4 in b)
            = root (100ms -> 100ms, +0%)
            =   llm (10ms -> 10ms, +0%)
            ~     attribute model: "gpt-4o" -> "gpt-4o-mini"
            -   tool a (10ms)   <- only in a
            +   tool b (10ms) (+1 below)   <- only in b
            """);
  }
}
