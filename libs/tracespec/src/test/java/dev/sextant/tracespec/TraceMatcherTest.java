package dev.sextant.tracespec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceMatcherTest {

  /** A Mastra-like agent run: the agent, two LLM steps, one tool call between them. */
  static List<Span> agentRun() {
    return new Spans()
        .agentRoot()
        .add(2, 1, "llm generation", 10, 400, "gen_ai.request.model", "gpt-4o-mini")
        .add(3, 1, "tool call get_weather", 420, 300, "gen_ai.tool.name", "get_weather")
        .add(4, 1, "llm generation", 730, 450, "gen_ai.request.model", "gpt-4o-mini")
        .build();
  }

  static final String SPEC =
      """
      spans:
        - name: "agent run *"
          type: agent_run
          status: OK
          duration: {max: 5s}
          attributes:
            mastra.entity.name: weather-agent
            gen_ai.usage.input_tokens: {min: 1, max: 100000}
          children:
            - name: llm generation
              count: "1.."
              attributes: {gen_ai.request.model: {regex: "gpt-4o.*"}}
            - name: "tool call *"
              attributes: {gen_ai.tool.name: {exists: true}}
      """;

  @Test
  void aMatchingTracePasses() {
    MatchResult r = check(SPEC, agentRun());
    assertThat(r.matched()).as(r.report()).isTrue();
    assertThat(r.problems()).isEmpty();
    assertThat(r.summary()).isEqualTo("trace matches the spec (4 spans)");
    r.assertMatched();
  }

  @Test
  void theFailureReportShowsBothTreesMissingExtraAndTheClosestCandidate() {
    List<Span> changed =
        new Spans()
            .agentRoot()
            .add(2, 1, "llm generation", 10, 400, "gen_ai.request.model", "gpt-4o-mini")
            .add(3, 1, "tool call get_forecast", StatusCode.ERROR, 420, 300)
            .add(4, 1, "llm generation", 730, 450, "gen_ai.request.model", "gpt-4o-mini")
            .add(5, 4, "retry", 800, 10)
            .build();
    MatchResult r = check(SPEC, changed);
    assertThat(r.matched()).isFalse();
    assertThat(r.summary())
        .isEqualTo("trace does not match the spec: 1 missing, 2 extra (5 spans)");
    assertThat(r.report())
        .isEqualTo(
            """
            FAIL trace does not match the spec: 1 missing, 2 extra (5 spans)
              expected                   | actual
            ~ agent run * type=agent_run | agent run weather-agent (1.2s)
            ✓   llm generation x1..      |   llm generation (400ms)
            +                            |   tool call get_forecast ERROR (300ms)
            ~   llm generation x1..      |   llm generation (450ms)
            +                            |     retry (10ms)
            ✗   tool call *              |   (missing)   <- closest: tool call get_forecast ERROR\
             (300ms): attribute gen_ai.tool.name absent, expected exists
            """);
    assertThat(r.problems())
        .extracting(Problem::kind)
        .containsExactly(Problem.Kind.EXTRA, Problem.Kind.EXTRA, Problem.Kind.MISSING);
    assertThat(r.problems().get(1).path())
        .isEqualTo("agent run * type=agent_run > llm generation x1..");
    assertThatThrownBy(r::assertMatched).isInstanceOf(AssertionError.class).hasMessage(r.report());
  }

  @Test
  void childrenMatchInAnyOrderUnlessOrdered() {
    List<Span> trace =
        new Spans().add(1, 0, "root", 0, 10).add(2, 1, "b", 1, 1).add(3, 1, "a", 2, 1).build();
    String unordered = "spans: [{name: root, children: [{name: a}, {name: b}]}]";
    assertThat(check(unordered, trace).matched()).isTrue();
    MatchResult ordered =
        check("spans: [{name: root, ordered: true, children: [{name: a}, {name: b}]}]", trace);
    assertThat(ordered.matched()).isFalse();
    assertThat(ordered.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.ORDER);
              assertThat(p.message()).contains("actual start order: b, a");
            });
    assertThat(
            check("spans: [{name: root, ordered: true, children: [{name: b}, {name: a}]}]", trace)
                .matched())
        .isTrue();
  }

  @Test
  void countsAreRanges() {
    List<Span> twoTools =
        new Spans()
            .add(1, 0, "root", 0, 10)
            .add(2, 1, "tool", 1, 1)
            .add(3, 1, "tool", 2, 1)
            .build();
    assertThat(matches("spans: [{name: root, children: [{name: tool, count: 2}]}]", twoTools))
        .isTrue();
    assertThat(matches("spans: [{name: root, children: [{name: tool, count: '1..'}]}]", twoTools))
        .isTrue();
    assertThat(matches("spans: [{name: root, children: [{name: tool, count: '..1'}]}]", twoTools))
        .isFalse();
    assertThat(matches("spans: [{name: root, children: [{name: tool, count: 3}]}]", twoTools))
        .isFalse();
    String optionalAndForbidden =
        "spans: [{name: root, children: [{name: tool, count: 2}, {name: retry, count: '0..1'},"
            + " {name: error, count: 0}]}]";
    assertThat(matches(optionalAndForbidden, twoTools)).isTrue();
    List<Span> withError =
        new Spans()
            .add(1, 0, "root", 0, 10)
            .add(2, 1, "tool", 1, 1)
            .add(3, 1, "tool", 2, 1)
            .add(4, 1, "error", 3, 1)
            .build();
    MatchResult forbidden = check(optionalAndForbidden, withError);
    assertThat(forbidden.matched()).isFalse();
    assertThat(forbidden.problems().get(0).message())
        .isEqualTo("unexpected span error (1ms) (fits error x0, but its count 0 is already met)");
  }

  @Test
  void extraSpansFailUnlessAllowed() {
    List<Span> trace = new Spans().add(1, 0, "root", 0, 10).add(2, 1, "noise", 1, 1).build();
    assertThat(matches("spans: [{name: root}]", trace)).isFalse();
    MatchResult allowed = check("spans: [{name: root, allowExtra: true}]", trace);
    assertThat(allowed.matched()).isTrue();
    assertThat(allowed.report()).contains("·", "noise (1ms)", "extra, allowed");
    List<Span> twoRoots = new Spans().add(1, 0, "root", 0, 10).add(2, 0, "other", 1, 1).build();
    assertThat(matches("spans: [{name: root}]", twoRoots)).isFalse();
    assertThat(matches("allowExtra: true\nspans: [{name: root}]", twoRoots)).isTrue();
  }

  @Test
  void backtrackingFindsTheAssignmentAGreedyOneMisses() {
    // The wildcard matcher comes first and would take "x", leaving nothing named "x" for the
    // second.
    List<Span> trace =
        new Spans().add(1, 0, "root", 0, 10).add(2, 1, "x", 1, 1).add(3, 1, "y", 2, 1).build();
    assertThat(matches("spans: [{name: root, children: [{name: '*'}, {name: x}]}]", trace))
        .isTrue();
    assertThat(
            matches(
                "spans: [{name: root, ordered: true, children: [{name: '*'}, {name: x}]}]", trace))
        .isFalse();
    // A subtree decides: both children are "step", only one has the "tool" below it.
    List<Span> nested =
        new Spans()
            .add(1, 0, "root", 0, 10)
            .add(2, 1, "step", 1, 1)
            .add(3, 1, "step", 2, 5)
            .add(4, 3, "tool", 3, 1)
            .build();
    assertThat(
            matches(
                "spans: [{name: root, children: [{name: step, allowExtra: true},"
                    + " {name: step, children: [{name: tool}]}]}]",
                nested))
        .isTrue();
  }

  @Test
  void spanFieldsAndAttributePredicatesAreChecked() {
    List<Span> trace =
        new Spans()
            .add(
                1,
                0,
                "root",
                StatusCode.ERROR,
                0,
                1500,
                "n",
                42L,
                "d",
                2.5,
                "s",
                "gpt-4o-mini",
                "b",
                true,
                "l",
                List.of("a", 1L))
            .build();
    assertThat(matches("spans: [{name: {regex: 'ro+t'}, kind: INTERNAL, status: ERROR}]", trace))
        .isTrue();
    assertThat(matches("spans: [{service: 'weather-*'}]", trace)).isTrue();
    assertThat(matches("spans: [{attributes: {service.name: weather-agent}}]", trace))
        .as("resource attributes count too")
        .isTrue();
    assertThat(matches("spans: [{duration: {min: 1s, max: 2s}}]", trace)).isTrue();
    assertThat(matches("spans: [{duration: {max: 1s}}]", trace)).isFalse();
    assertThat(matches("spans: [{attributes: {n: 42, d: 2.5, s: gpt-4o-mini, b: true}}]", trace))
        .isTrue();
    assertThat(matches("spans: [{attributes: {n: 42.0}}]", trace)).isTrue();
    assertThat(matches("spans: [{attributes: {n: '42'}}]", trace)).as("typed").isFalse();
    assertThat(matches("spans: [{attributes: {l: [a, 1]}}]", trace)).isTrue();
    assertThat(matches("spans: [{attributes: {n: {regex: '4\\d'}}}]", trace)).isTrue();
    assertThat(matches("spans: [{attributes: {s: {glob: 'gpt-4o*'}}}]", trace)).isTrue();
    assertThat(matches("spans: [{attributes: {n: {min: 40, max: 42}, d: {max: 3}}}]", trace))
        .isTrue();
    assertThat(matches("spans: [{attributes: {s: {min: 0}}}]", trace)).isFalse();
    assertThat(matches("spans: [{attributes: {missing: {absent: true}}}]", trace)).isTrue();
    assertThat(matches("spans: [{attributes: {n: {absent: true}}}]", trace)).isFalse();
    assertThat(matches("spans: [{type: agent_run}]", trace)).isFalse();
    MatchResult wrong =
        check("spans: [{name: root, status: OK, attributes: {n: {max: 10}}}]", trace);
    assertThat(wrong.problems())
        .extracting(Problem::kind)
        .containsExactly(Problem.Kind.EXTRA, Problem.Kind.MISSING);
    assertThat(wrong.problems().get(1).message())
        .isEqualTo(
            "no span for root; closest: root ERROR (1.5s): status ERROR, expected OK;"
                + " attribute n = 42, expected <= 10");
  }

  @Test
  void globsQuoteTheirWildcardsAndMatchWholeNames() {
    assertThat(TextPattern.glob("a*c").matches("abbc", MatchBudget.defaults())).isTrue();
    assertThat(TextPattern.glob("a?c").matches("abc", MatchBudget.defaults())).isTrue();
    assertThat(TextPattern.glob("a").matches("ab", MatchBudget.defaults())).isFalse();
    assertThat(TextPattern.literal("a*c").matches("abc", MatchBudget.defaults())).isFalse();
    assertThat(TextPattern.literal("a*c").matches("a*c", MatchBudget.defaults())).isTrue();
    assertThat(TextPattern.glob("a.c").matches("abc", MatchBudget.defaults())).isFalse();
  }

  @Test
  void anAmbiguousSpecRunsOutOfBudgetInsteadOfForever() {
    // 12 interchangeable matchers, 13 spans, no extras allowed: a naive search tries 12! ways.
    Spans spans = new Spans().add(1, 0, "root", 0, 100);
    for (int i = 0; i < 13; i++) {
      spans.add(10 + i, 1, "step", 1 + i, 1);
    }
    String spec =
        "spans: [{name: root, children: ["
            + String.join(",", Collections.nCopies(12, "{name: 'st*'}"))
            + "]}]";
    long started = System.nanoTime();
    assertThatThrownBy(() -> check(spec, spans.build()))
        .isInstanceOfSatisfying(
            TraceSpecException.class,
            e -> assertThat(e.reason()).isEqualTo(TraceSpecException.Reason.TOO_EXPENSIVE))
        .hasMessageContaining("too ambiguous");
    assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
  }

  @Test
  void aBacktrackingRegexRunsOutOfBudget() {
    // On JDK 25 this pattern reads about 250 million characters of a 28-character name.
    List<Span> trace = new Spans().add(1, 0, "a".repeat(28), 0, 1).build();
    long started = System.nanoTime();
    assertThatThrownBy(() -> check("spans: [{name: {regex: '(.*a){12}b'}}]", trace))
        .isInstanceOfSatisfying(
            TraceSpecException.class,
            e -> assertThat(e.reason()).isEqualTo(TraceSpecException.Reason.TOO_EXPENSIVE))
        .hasMessageContaining("regular expression");
    assertThat(System.nanoTime() - started).isLessThan(3_000_000_000L);
  }

  @Test
  void anEmptyTraceFailsWithEveryMatcherMissing() {
    MatchResult r = check("spans: [{name: root}]", List.of());
    assertThat(r.matched()).isFalse();
    assertThat(r.problems().get(0).message())
        .isEqualTo("no span for root; closest: none, no span at this level");
  }

  private static boolean matches(String spec, List<Span> trace) {
    return check(spec, trace).matched();
  }

  private static MatchResult check(String spec, List<Span> trace) {
    return TraceMatcher.check(SpecParser.parse(spec, SpecFormat.YAML), trace);
  }
}
