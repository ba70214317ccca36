package dev.sextant.tracespec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Labels;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import dev.sextant.model.Temporality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metric and log expectations: parsing, checking, reporting, writing and recording. */
class SignalExpectationsTest {
  private static final long MS = 1_000_000L;

  /** An agent run of 1.2s: two LLM steps and a tool call that failed. */
  private static final List<Span> RUN =
      new Spans()
          .agentRoot()
          .add(2, 1, "llm generation", 100, 400)
          .add(3, 1, "tool call get_forecast", StatusCode.ERROR, 550, 300, "tool", "get_forecast")
          .add(4, 1, "llm generation", 900, 250)
          .build();

  private static final long START = RUN.getFirst().startTimeUnixNanos();

  private static final String SPEC =
      """
      spans:
        - name: "agent run *"
          children:
            - name: llm generation
              count: 2
            - id: tool
              name: "tool call *"
      metrics:
        - name: agent_tool_calls_total
          labels: {tool: get_forecast}
          delta: 1
        - name: agent_runs_total
          value: {min: 1}
          delta: {min: 1, max: 1}
      logs:
        - level: ERROR
          message: "forecast * unreachable"
          attributes: {city: Oslo}
          span: tool
        - minLevel: WARN
          message: {regex: "retry(ing)? .*"}
          count: 0
        - level: INFO
          span: "*"
          count: "1.."
      """;

  @Test
  void aTraceWithItsMetricsAndLogsMatches() {
    MatchResult r = check(SPEC, healthyLogs(), healthyMetrics());
    assertThat(r.matched()).as(r.report()).isTrue();
    assertThat(r.summary()).isEqualTo("trace matches the spec (4 spans, 2 logs, 3 metric series)");
  }

  @Test
  void theReportCountsUnmetExpectationsAndNamesTheClosestSeriesAndRecord() {
    List<LogRecord> logs =
        List.of(
            log(17, "forecast service unreachable", 3, Map.of("city", "Bergen")),
            log(13, "retrying get_forecast", 3, Map.of()),
            log(9, "weather lookup requested", 0, Map.of()));
    List<SeriesSamples> metrics =
        List.of(
            counter("agent_tool_calls_total", Labels.of("tool", "get_forecast"), -5_000, 3, 100, 3),
            counter("agent_runs_total", Labels.of(), -5_000, 7, 1_300, 8));
    MatchResult r = check(SPEC, logs, metrics);
    assertThat(r.matched()).isFalse();
    assertThat(r.report())
        .isEqualTo(
            """
            FAIL trace does not match the spec: 1 metric unmet, 3 logs unmet (4 spans, 3 logs, 2\
             metric series)
              expected            | actual
            ✓ agent run *         | agent run weather-agent (1.2s)
            ✓   llm generation x2 |   llm generation (400ms)
            ✓   tool call *       |   tool call get_forecast ERROR (300ms)
            ✓   llm generation x2 |   llm generation (250ms)
              metrics                                                 | actual
            ✗ agent_tool_calls_total{tool = "get_forecast"} delta = 1 | (none)   <- closest:\
             agent_tool_calls_total{tool="get_forecast"}: delta 0, expected = 1
            ✓ agent_runs_total value >= 1 delta = 1                   | agent_runs_total = 8\
             (delta 1)
              logs                                                   | actual
            ✗ ERROR forecast * unreachable {city = "Oslo"} span=tool | (none)   <- closest: ERROR\
             "forecast service unreachable" (span tool call get_forecast): attribute city =\
             "Bergen", expected = "Oslo"
            ✗ WARN+ /retry(ing)? .*/ x0                              | WARN "retrying\
             get_forecast" (span tool call get_forecast)   <- 1 log fits, expected at most 0
            ✗ INFO span=*                                            | (none)   <- closest: ERROR\
             "forecast service unreachable" (span tool call get_forecast): level ERROR, expected\
             INFO
            """);
    assertThat(r.problems())
        .extracting(Problem::kind)
        .containsExactly(Problem.Kind.METRIC, Problem.Kind.LOG, Problem.Kind.LOG, Problem.Kind.LOG);
    assertThat(r.problems().getFirst().path()).isEqualTo("metrics[0]");
  }

  @Test
  void deltaCountsFromZeroForASeriesBornDuringTheRunAndIgnoresSamplesAfterTheWindow() {
    String spec =
        """
        spans: [{name: "agent run *", allowExtra: true}]
        metricWindow: {after: 10s}
        metrics: [{name: born_total, delta: 4, value: 4}]
        """;
    // Born at 600ms with 4; a later sample at 20s (past end + 10s) must not count.
    SeriesSamples born = counter("born_total", Labels.of(), 600, 4, 20_000, 50);
    assertThat(check(spec, List.of(), List.of(born)).matched()).isTrue();
    // The same series seen before the run: the baseline is its last sample before the start.
    SeriesSamples older = counter("born_total", Labels.of(), -1_000, 1, 600, 4);
    MatchResult r = check(spec, List.of(), List.of(older));
    assertThat(r.matched()).isFalse();
    assertThat(r.problems().getFirst().message()).contains("delta 3, expected = 4");
    // No sample in [start, end + after]: said so.
    SeriesSamples late = counter("born_total", Labels.of(), -1_000, 1, 30_000, 4);
    assertThat(check(spec, List.of(), List.of(late)).problems().getFirst().message())
        .contains("no sample in the trace's window");
  }

  @Test
  void aLogLinkedToASpanThatDoesNotFitTheNamedMatcherFails() {
    String spec =
        """
        spans:
          - name: "agent run *"
            allowExtra: true
            children: [{id: llm, name: llm generation, count: 2}]
        logs: [{message: "forecast *", span: llm}]
        """;
    MatchResult r = check(spec, List.of(log(17, "forecast down", 3, Map.of())), List.of());
    assertThat(r.matched()).isFalse();
    assertThat(r.problems().getFirst().message())
        .contains("linked to tool call get_forecast ERROR (300ms), which does not fit #llm");
    assertThat(check(spec, List.of(log(17, "forecast down", 2, Map.of())), List.of()).matched())
        .isTrue();
  }

  @Test
  void aSpecWithSignalsIsNotCheckedAgainstSpansAlone() {
    TraceSpec spec = SpecParser.parse(SPEC, SpecFormat.YAML);
    assertThatThrownBy(() -> TraceMatcher.check(spec, RUN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TraceTelemetry");
  }

  @Test
  void badExpectationsAreRefusedWithThePlace() {
    assertInvalid("spans: []\nmetrics: {name: x}", "metrics: expected a list of metric");
    assertInvalid("spans: []\nmetrics: [{labels: {a: b}}]", "metrics[0]: missing \"name\"");
    assertInvalid("spans: []\nmetrics: [{name: x, lables: {}}]", "metrics[0].lables: unknown key");
    assertInvalid(
        "spans: []\nmetrics: [{name: x, labels: {a: {min: 1}}}]", "metrics[0].labels.a.min");
    assertInvalid("spans: []\nmetrics: [{name: x, labels: {a: [1]}}]", "a label is text");
    assertInvalid("spans: []\nmetrics: [{name: x, delta: {max: 1, min: 2}}]", "max is below min");
    assertInvalid("spans: []\nmetrics: [{name: x, value: high}]", "metrics[0].value: expected");
    assertInvalid("spans: []\nmetrics: [{name: {regex: \"(\"}}]", "invalid regex");
    assertInvalid("spans: []\nlogs: [{level: LOUD}]", "logs[0].level: unknown value \"LOUD\"");
    assertInvalid("spans: []\nlogs: [{level: WARN, minLevel: INFO}]", "not both");
    assertInvalid("spans: []\nlogs: [{span: tool}]", "logs[0].span: no span matcher has the id");
    assertInvalid("spans: []\nlogs: [{count: -1}]", "logs[0].count");
    assertInvalid("spans: [{id: a}, {id: a}]", "two span matchers have the id \"a\"");
    assertInvalid("spans: [{id: \"a b\"}]", "spans[0].id: an id is");
    assertInvalid("spans: []\nmetricWindow: {after: 1h}", "metricWindow.after: at most 10m");
    assertInvalid("spans: []\nmetricWindow: {lookback: 2h}", "metricWindow.lookback: at most 1h");
    StringBuilder many = new StringBuilder("spans: []\nlogs:\n");
    many.append("  - {level: INFO}\n".repeat(SpecParser.MAX_MATCHERS + 1));
    assertInvalid(many.toString(), "at most 10000 matchers and expectations");
  }

  @Test
  void aWrittenSpecWithSignalsParsesBackEqual() {
    TraceSpec spec =
        SpecParser.parse(SPEC + "metricWindow: {lookback: 5m, after: 30s}\n", SpecFormat.YAML);
    for (SpecFormat format : SpecFormat.values()) {
      assertThat(SpecParser.parse(SpecWriter.write(spec, format), format)).isEqualTo(spec);
    }
  }

  @Test
  void recordingKeepsEachLevelAndMessageWithItsCountAndLink() {
    List<LogRecord> logs =
        List.of(
            log(9, "step *started*", 2, Map.of("n", 1L)),
            log(9, "step *started*", 4, Map.of("n", 2L)),
            log(17, "x".repeat(300), 0, Map.of()));
    TraceSpec spec = TraceRecorder.record(RUN, logs, RecordOptions.defaults());
    assertThat(SpecWriter.write(spec, SpecFormat.YAML))
        .contains(
            """
            logs:
            - level: "INFO"
              message: "step \\\\*started\\\\*"
              span: "*"
              count: 2
            - level: "ERROR"
              message: "%s*"
            """
                .formatted("x".repeat(TraceRecorder.MESSAGE_PREFIX)));
    assertThat(TraceMatcher.check(spec, new TraceTelemetry(RUN, logs, List.of())).matched())
        .isTrue();
  }

  @Test
  void manyLogsTimesManyExpectationsRunOutOfBudget() {
    StringBuilder spec = new StringBuilder("spans: [{name: \"*\", allowExtra: true}]\nlogs:\n");
    spec.append("  - {message: nothing, count: 0}\n".repeat(300));
    List<LogRecord> logs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      logs.add(log(9, "line " + i, 2, Map.of()));
    }
    TraceSpec parsed = SpecParser.parse(spec.toString(), SpecFormat.YAML);
    assertThatThrownBy(() -> TraceMatcher.check(parsed, new TraceTelemetry(RUN, logs, List.of())))
        .isInstanceOfSatisfying(
            TraceSpecException.class,
            e -> assertThat(e.reason()).isEqualTo(TraceSpecException.Reason.TOO_EXPENSIVE))
        .hasMessageContaining("comparisons");
  }

  // ---- fixtures -------------------------------------------------------------------------------

  private static MatchResult check(String spec, List<LogRecord> logs, List<SeriesSamples> metrics) {
    return TraceMatcher.check(
        SpecParser.parse(spec, SpecFormat.YAML), new TraceTelemetry(RUN, logs, metrics));
  }

  private static List<LogRecord> healthyLogs() {
    return List.of(
        log(17, "forecast service unreachable", 3, Map.of("city", "Oslo")),
        log(9, "weather lookup requested", 2, Map.of()));
  }

  private static List<SeriesSamples> healthyMetrics() {
    return List.of(
        counter("agent_tool_calls_total", Labels.of("tool", "get_forecast"), -5_000, 3, 900, 4),
        counter("agent_tool_calls_total", Labels.of("tool", "get_weather"), -5_000, 3, 900, 3),
        counter("agent_runs_total", Labels.of(), -5_000, 7, 1_300, 8));
  }

  /** A log of the run; {@code span} 0 is unlinked. */
  private static LogRecord log(int severity, String body, int span, Map<String, Object> attrs) {
    return new LogRecord(
        "default",
        START + 600 * MS,
        START + 600 * MS,
        severity,
        "",
        body,
        "weather-agent",
        "",
        Spans.TRACE,
        span == 0 ? "" : Spans.spanId(span),
        Map.of(),
        attrs,
        0);
  }

  /** A cumulative counter with two samples, at milliseconds from the run's start. */
  private static SeriesSamples counter(
      String name, Labels labels, long ms1, double v1, long ms2, double v2) {
    return new SeriesSamples(
        new MetricSeries(
            "default", name, labels, MetricType.COUNTER, Temporality.CUMULATIVE, "", ""),
        List.of(
            new NumberPoint(0, START + ms1 * MS, v1), new NumberPoint(0, START + ms2 * MS, v2)));
  }

  private static void assertInvalid(String text, String message) {
    assertThatThrownBy(() -> SpecParser.parse(text, SpecFormat.YAML))
        .isInstanceOfSatisfying(
            TraceSpecException.class,
            e -> assertThat(e.reason()).isEqualTo(TraceSpecException.Reason.INVALID_SPEC))
        .hasMessageContaining(message);
  }
}
