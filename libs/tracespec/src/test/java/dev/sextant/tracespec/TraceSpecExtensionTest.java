package dev.sextant.tracespec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.LogRecord;
import dev.sextant.model.Span;
import dev.sextant.tracespec.junit.TraceSpecExtension;
import dev.sextant.tracespec.junit.TraceSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JUnit 5 extension, used as a test would: golden specs from tracespec/ on the classpath. */
@ExtendWith(TraceSpecExtension.class)
class TraceSpecExtensionTest {

  @Test
  void aMatchingTracePasses(TraceSpecs specs) {
    assertThat(specs.assertMatches("agent-run.yaml", run("tool call get_weather")).matched())
        .isTrue();
  }

  @Test
  void aMismatchFailsWithTheReportAndRecordsTheActualSpec(TraceSpecs specs) throws Exception {
    List<Span> changed = run("retry");
    assertThatThrownBy(() -> specs.assertMatches("agent-run.yaml", changed))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("trace does not match tracespec/agent-run.yaml")
        .hasMessageContaining("FAIL trace does not match the spec: 1 missing, 1 extra (4 spans)");
    Path actual = Path.of("target/tracespec/TraceSpecExtensionTest/agent-run.yaml");
    assertThat(Files.readString(actual)).contains("name: \"retry\"");
  }

  @Test
  void aSpecWithLogsIsCheckedAgainstTheTelemetryAndRecordedWithItsLogs(TraceSpecs specs)
      throws Exception {
    List<Span> spans = run("tool call get_weather");
    LogRecord lookup = log("looking up Oslo", Spans.spanId(3));
    assertThat(
            specs
                .assertMatches(
                    "agent-run-logs.yaml", new TraceTelemetry(spans, List.of(lookup), List.of()))
                .matched())
        .isTrue();
    // The log linked to the root instead of the tool: the expectation is unmet.
    LogRecord elsewhere = log("looking up Oslo", Spans.spanId(1));
    TraceTelemetry moved = new TraceTelemetry(spans, List.of(elsewhere), List.of());
    assertThatThrownBy(() -> specs.assertMatches("agent-run-logs.yaml", moved))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("FAIL trace does not match the spec: 1 log unmet")
        .hasMessageContaining("which does not fit #tool");
    Path actual = Path.of("target/tracespec/TraceSpecExtensionTest/agent-run-logs.yaml");
    assertThat(Files.readString(actual)).contains("message: \"looking up Oslo\"");
  }

  private static LogRecord log(String body, String spanId) {
    return new LogRecord(
        "default", 0, 0, 9, "INFO", body, "", "", Spans.TRACE, spanId, Map.of(), Map.of(), 0);
  }

  @Test
  void aMissingSpecSaysHowToRecordOne(TraceSpecs specs) {
    assertThatThrownBy(() -> specs.assertMatches("nope.yaml", run("x")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("-Dtracespec.record=true");
  }

  private static List<Span> run(String third) {
    return new Spans()
        .agentRoot()
        .add(2, 1, "llm generation", 10, 400)
        .add(3, 1, third, 420, 300)
        .add(4, 1, "llm generation", 730, 450)
        .build();
  }
}
