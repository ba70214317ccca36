package dev.sextant.query.rest;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.span;
import static dev.sextant.query.Fixtures.spanId;
import static dev.sextant.query.Fixtures.traceId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import dev.sextant.model.Temporality;
import dev.sextant.model.Tenants;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import dev.sextant.tracespec.TraceTelemetry;
import dev.sextant.tracespec.cli.TraceSpecCli;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TraceSpec endpoints: check, record, diff over traces in the store. */
@QuarkusTest
class TraceSpecApiTest {
  private static final int SLOT = 17;
  private static final String T = Tenants.DEFAULT;
  private static final long BASE = base(SLOT);
  private static final String RUN = traceId(SLOT, 1);
  private static final String OTHER_RUN = traceId(SLOT, 2);
  private static final String UNKNOWN = traceId(SLOT, 99);

  private static final String SPEC =
      """
      spans:
        - name: "agent run *"
          attributes: {mastra.entity.name: weather-agent}
          children:
            - name: llm generation
              count: "1.."
            - name: "tool call *"
              status: OK
      """;

  /** The spec above with a metric and a log the first run emits; the other run logs nothing. */
  private static final String SIGNALS_SPEC =
      """
      spans:
        - id: run
          name: "agent run *"
          allowExtra: true
      metrics:
        - name: "agent_tool_*"
          labels: {tool: get_weather}
          delta: 1
      logs:
        - level: ERROR
          message: "tool * failed"
          attributes: {tool: get_weather}
          span: run
      """;

  private static boolean signalsWritten;

  @Inject StorageComponent storage;

  @TestHTTPResource("/")
  URL queryUrl;

  @BeforeEach
  void writeTraces() {
    Fixtures.writeSpans(storage, run(RUN, "tool call get_weather", StatusCode.OK));
    Fixtures.writeSpans(storage, run(OTHER_RUN, "tool call get_forecast", StatusCode.ERROR));
    if (!signalsWritten) {
      // Logs are appended, not upserted: written once so that counts stay what the tests say.
      Fixtures.writeLogs(
          storage,
          List.of(
              Fixtures.log(
                  T,
                  BASE + SECOND,
                  17,
                  "tool get_weather failed",
                  "agent",
                  RUN,
                  Map.of("tool", "get_weather"))));
      MetricSeries calls =
          Fixtures.series(
              T,
              "agent_tool_calls_total",
              MetricType.COUNTER,
              Temporality.CUMULATIVE,
              "tool",
              "get_weather");
      Fixtures.writeMetrics(
          storage,
          List.of(
              Fixtures.number(calls, BASE - 30 * SECOND, 4),
              Fixtures.number(calls, BASE + 10 * SECOND, 5)));
      signalsWritten = true;
    }
  }

  private static List<Span> run(String traceId, String tool, StatusCode toolStatus) {
    return List.of(
        span(
            T,
            traceId,
            spanId(1),
            "",
            "agent run weather-agent",
            "agent",
            BASE,
            3 * SECOND,
            StatusCode.OK,
            Map.of("mastra.entity.name", "weather-agent", "thread.id", traceId)),
        span(
            T,
            traceId,
            spanId(2),
            spanId(1),
            "llm generation",
            "agent",
            BASE + 1,
            SECOND,
            StatusCode.UNSET,
            Map.of("gen_ai.request.model", "gpt-4o-mini")),
        span(
            T,
            traceId,
            spanId(3),
            spanId(1),
            tool,
            "agent",
            BASE + 2 * SECOND,
            SECOND / 2,
            toolStatus,
            Map.of()));
  }

  @Test
  void aMatchingTraceIsReportedMatched() {
    JsonPath body = check(RUN, SPEC, "application/yaml", 200);
    assertThat(body.getBoolean("matched")).as(body.getString("report")).isTrue();
    assertThat(body.getString("traceId")).isEqualTo(RUN);
    assertThat(body.getString("summary")).isEqualTo("trace matches the spec (3 spans)");
    assertThat(body.getInt("spanCount")).isEqualTo(3);
    assertThat(body.getList("problems")).isEmpty();
  }

  @Test
  void aMismatchIsExplained() {
    JsonPath body = check(OTHER_RUN, SPEC, "application/yaml", 200);
    assertThat(body.getBoolean("matched")).isFalse();
    assertThat(body.getString("summary"))
        .isEqualTo("trace does not match the spec: 1 missing, 1 extra (3 spans)");
    assertThat(body.getList("problems.kind")).containsExactly("EXTRA", "MISSING");
    assertThat(body.getString("problems[1].path")).isEqualTo("agent run *");
    assertThat(body.getString("problems[1].message"))
        .isEqualTo(
            "no span for tool call *; closest: tool call get_forecast ERROR (500ms): status"
                + " ERROR, expected OK");
    assertThat(body.getString("report"))
        .startsWith("FAIL trace does not match the spec")
        .contains("✗   tool call *", "(missing)", "+ ", "tool call get_forecast ERROR (500ms)");
  }

  @Test
  void aJsonSpecIsReadAsJson() {
    String json =
        """
        {"spans": [{"name": "agent run *", "allowExtra": true}]}
        """;
    assertThat(check(RUN, json, "application/json", 200).getBoolean("matched")).isTrue();
  }

  @Test
  void aRecordedSpecMatchesItsTraceAndTellsTheOtherRunApart() {
    String yaml =
        given()
            .when()
            .get("/api/v1/traces/" + RUN + "/spec")
            .then()
            .statusCode(200)
            .contentType("application/yaml")
            .extract()
            .asString();
    assertThat(yaml)
        .contains("name: \"agent run weather-agent\"", "mastra.entity.name: \"weather-agent\"")
        .doesNotContain("thread.id", RUN);
    assertThat(check(RUN, yaml, "application/yaml", 200).getBoolean("matched")).isTrue();
    JsonPath other = check(OTHER_RUN, yaml, "application/yaml", 200);
    assertThat(other.getBoolean("matched")).isFalse();
    assertThat(other.getList("problems.kind")).containsExactly("EXTRA", "MISSING");

    String json =
        given()
            .when()
            .get("/api/v1/traces/" + RUN + "/spec?format=json&generalise=true")
            .then()
            .statusCode(200)
            .contentType("application/json")
            .extract()
            .asString();
    assertThat(check(RUN, json, "application/json", 200).getBoolean("matched")).isTrue();
  }

  @Test
  void metricAndLogExpectationsAreCheckedAgainstTheStore() {
    JsonPath run = check(RUN, SIGNALS_SPEC, "application/yaml", 200);
    assertThat(run.getBoolean("matched")).as(run.getString("report")).isTrue();
    assertThat(run.getString("summary"))
        .isEqualTo("trace matches the spec (3 spans, 1 log, 1 metric series)");
    assertThat(run.getString("report"))
        .contains("agent_tool_calls_total{tool=\"get_weather\"} = 5 (delta 1)")
        .contains("ERROR \"tool get_weather failed\" (span agent run weather-agent)");

    JsonPath other = check(OTHER_RUN, SIGNALS_SPEC, "application/yaml", 200);
    assertThat(other.getBoolean("matched")).isFalse();
    assertThat(other.getString("summary"))
        .isEqualTo("trace does not match the spec: 1 log unmet (3 spans, 0 logs, 1 metric series)");
    assertThat(other.getList("problems.kind")).containsExactly("LOG");
    assertThat(other.getString("problems[0].path")).isEqualTo("logs[0]");
    assertThat(other.getString("problems[0].message")).endsWith("closest: the trace has no logs");

    // A window that ends before the counter's sample after the run: no sample, unmet.
    JsonPath narrow =
        check(RUN, SIGNALS_SPEC + "metricWindow: {after: 1s}\n", "application/yaml", 200);
    assertThat(narrow.getList("problems.kind")).containsExactly("METRIC");
    assertThat(narrow.getString("problems[0].message")).contains("no sample in the trace's window");
  }

  @Test
  void badMetricAndLogExpectationsAreA400() {
    assertError(
        check(RUN, "spans: []\nlogs: [{span: nowhere}]", "application/yaml", 400),
        "bad_data",
        "invalid spec: logs[0].span: no span matcher has the id \"nowhere\"");
    assertError(
        check(RUN, "spans: []\nmetrics: [{name: x, value: {min: a}}]", "application/yaml", 400),
        "bad_data",
        "invalid spec: metrics[0].value.min: expected a number");
  }

  @Test
  void aMetricExpectationNamingTooManySeriesIsA400NotACutAnswer() {
    List<MetricWrite> wide = new java.util.ArrayList<>();
    for (int i = 0; i <= TraceTelemetry.MAX_SERIES; i++) {
      MetricSeries s =
          Fixtures.series(
              T, "wide_total", MetricType.COUNTER, Temporality.CUMULATIVE, "i", "s" + i);
      wide.add(Fixtures.number(s, BASE + SECOND, 1));
    }
    Fixtures.writeMetrics(storage, wide);
    assertError(
        check(
            RUN,
            "spans: [{name: \"*\", allowExtra: true}]\nmetrics: [{name: wide_total}]",
            "application/yaml",
            400),
        "bad_data",
        "spec too expensive: its metric expectations name more than 1000 series");
  }

  @Test
  void recordingWithLogsWritesLogExpectationsTheTraceMeets() {
    String yaml =
        given()
            .when()
            .get("/api/v1/traces/" + RUN + "/spec?logs=true")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(yaml)
        .contains(
            """
            logs:
            - level: "ERROR"
              message: "tool get_weather failed"
              span: "*"
              count: 1
            """);
    assertThat(check(RUN, yaml, "application/yaml", 200).getBoolean("matched")).isTrue();
    assertThat(check(OTHER_RUN, yaml, "application/yaml", 200).getString("summary"))
        .contains("1 log unmet");
  }

  @Test
  void theCommandLineToolChecksRecordsAndDiffsWithExitCodes(@TempDir Path dir) throws Exception {
    Path spec = Files.writeString(dir.resolve("run.yaml"), SIGNALS_SPEC);
    Cli ok = cli("check", RUN, spec.toString());
    assertThat(ok.code).as(ok.err).isZero();
    assertThat(ok.out).startsWith("PASS trace matches the spec (3 spans, 1 log, 1 metric series)");

    Cli mismatch = cli("check", OTHER_RUN, spec.toString());
    assertThat(mismatch.code).isEqualTo(1);
    assertThat(mismatch.out)
        .startsWith("FAIL trace does not match the spec: 1 log unmet")
        .contains("✗ ERROR tool * failed");

    Path bad = Files.writeString(dir.resolve("bad.yaml"), "spans: [{name: a, nmae: b}]");
    Cli refused = cli("check", RUN, bad.toString());
    assertThat(refused.code).isEqualTo(2);
    assertThat(refused.err).contains("HTTP 400: invalid spec: spans[0].nmae: unknown key");
    Cli unknown = cli("check", UNKNOWN, spec.toString());
    assertThat(unknown.code).isEqualTo(2);
    assertThat(unknown.err).contains("HTTP 404: trace " + UNKNOWN + " not found");
    Cli noFile = cli("check", RUN, dir.resolve("missing.yaml").toString());
    assertThat(noFile.code).isEqualTo(2);
    assertThat(noFile.err).contains("no such spec file");

    Cli recorded = cli("record", RUN, "--logs");
    assertThat(recorded.code).isZero();
    assertThat(recorded.out)
        .contains("name: \"agent run weather-agent\"", "tool get_weather failed");
    Path again = Files.writeString(dir.resolve("recorded.yaml"), recorded.out);
    assertThat(cli("check", RUN, again.toString()).code).isZero();
    assertThat(cli("check", OTHER_RUN, again.toString()).code).isEqualTo(1);

    Cli differs = cli("diff", RUN, OTHER_RUN);
    assertThat(differs.code).isEqualTo(1);
    assertThat(differs.out).contains("-   tool call get_weather");
    assertThat(cli("diff", RUN, RUN).code).isZero();

    Cli usage = cli("check", RUN);
    assertThat(usage.code).isEqualTo(2);
    assertThat(usage.err).contains("check takes 2 arguments", "usage: sextant tracespec check");
    Cli down = runCli(new String[] {"diff", RUN, RUN, "--query", "http://127.0.0.1:1"});
    assertThat(down.code).isEqualTo(2);
    assertThat(down.err).contains("no answer from the query service at http://127.0.0.1:1");
  }

  private record Cli(int code, String out, String err) {}

  private Cli cli(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--query";
    all[args.length + 1] = queryUrl.toString();
    return runCli(all);
  }

  private static Cli runCli(String[] args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        TraceSpecCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void twoRunsAreDiffed() {
    JsonPath body =
        given()
            .when()
            .get("/api/v1/traces/diff?a=" + RUN + "&b=" + OTHER_RUN)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(body.getBoolean("identical")).isFalse();
    assertThat(body.getString("a")).isEqualTo(RUN);
    assertThat(body.getList("entries.change")).containsExactly("ONLY_IN_A", "ONLY_IN_B");
    assertThat(body.getString("entries[0].detail")).isEqualTo("tool call get_weather (500ms)");
    assertThat(body.getString("report")).contains("-   tool call get_weather", "+   tool call");
  }

  @Test
  void aMalformedSpecIsA400WithThePlaceAndTheReason() {
    assertError(
        check(RUN, "spans: [{name: a, nmae: b}]", "application/yaml", 400),
        "bad_data",
        "invalid spec: spans[0].nmae: unknown key \"nmae\", expected one of [allowExtra,");
    assertError(
        check(RUN, "{\"spans\": [", "application/json", 400),
        "bad_data",
        "invalid spec: not valid JSON");
    assertError(
        check(RUN, "", "application/yaml", 400), "bad_data", "invalid spec: the spec is empty");
    assertError(
        check(RUN, "spans: [{name: {regex: '('}}]", "application/yaml", 400),
        "bad_data",
        "invalid spec: spans[0].name.regex: invalid regex /(/");
  }

  @Test
  void aSpecTooAmbiguousForTheTraceIsA400() {
    List<Span> wide = new java.util.ArrayList<>();
    String id = traceId(SLOT, 3);
    wide.add(span(T, id, spanId(1), "", "root", "agent", BASE, SECOND, StatusCode.OK, Map.of()));
    for (int i = 0; i < 13; i++) {
      wide.add(
          span(
              T,
              id,
              spanId(10 + i),
              spanId(1),
              "step",
              "agent",
              BASE + i + 1,
              1,
              StatusCode.OK,
              Map.of()));
    }
    Fixtures.writeSpans(storage, wide);
    String spec =
        "spans: [{name: root, children: ["
            + String.join(",", Collections.nCopies(12, "{name: 'st*'}"))
            + "]}]";
    assertError(check(id, spec, "application/yaml", 400), "bad_data", "spec too expensive:");
  }

  @Test
  void anUnknownTraceIsA404AndABadIdA400() {
    assertError(check(UNKNOWN, SPEC, "application/yaml", 404), "not_found", "trace " + UNKNOWN);
    given().when().get("/api/v1/traces/" + UNKNOWN + "/spec").then().statusCode(404);
    given().when().get("/api/v1/traces/diff?a=" + RUN + "&b=" + UNKNOWN).then().statusCode(404);
    assertError(check("xyz", SPEC, "application/yaml", 400), "bad_data", "trace id");
  }

  @Test
  void parametersAreStrict() {
    given().when().get("/api/v1/traces/" + RUN + "/spec?format=xml").then().statusCode(400);
    given().when().get("/api/v1/traces/" + RUN + "/spec?generalise=yes").then().statusCode(400);
    given().when().get("/api/v1/traces/" + RUN + "/spec?fromat=json").then().statusCode(400);
    given().when().get("/api/v1/traces/diff?a=" + RUN).then().statusCode(400);
  }

  private static JsonPath check(String traceId, String spec, String contentType, int status) {
    return given()
        .contentType(contentType)
        .body(spec.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .when()
        .post("/api/v1/traces/" + traceId + "/check")
        .then()
        .statusCode(status)
        .extract()
        .jsonPath();
  }

  private static void assertError(JsonPath body, String type, String message) {
    assertThat(body.getString("errorType")).isEqualTo(type);
    assertThat(body.getString("error")).startsWith(message);
  }
}
