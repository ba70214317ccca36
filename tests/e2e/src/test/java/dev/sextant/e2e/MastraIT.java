package dev.sextant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Mastra app ({@code tests/mastra-app}: {@code @mastra/core}, {@code @mastra/observability},
 * {@code @mastra/otel-exporter} from npm, the AI SDK's mock model) runs against the suite started
 * by {@code ./sextant run}, once through the OTLP exporter and once through the platform exporter's
 * publish API; the data is read back through the Mastra-shaped routes and PromQL. Then Mastra
 * Studio, the real one from the {@code mastra} CLI, opens in headless Chromium against it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MastraIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The mock's usage per model call (tests/mastra-app/app.mjs). */
  private static final int INPUT = 120;

  private static final int OUTPUT = 30;

  /** gpt-4o-mini in the price table: 100 uncached input, 20 cached, 30 output tokens. */
  private static final double COST_PER_CALL = (100 * 0.15 + 20 * 0.075 + 30 * 0.60) / 1e6;

  static RunningSuite suite;
  static MastraApp app;
  static final Map<String, Map<String, String>> traces = new HashMap<>();

  @BeforeAll
  static void startSuiteAndRunTheApp() throws Exception {
    suite = RunningSuite.start();
    app = MastraApp.installed(RunningSuite.repositoryRoot());
    for (String exporter : List.of("otlp", "platform")) {
      JsonNode ran = app.runAgainst(exporter, suite.port("INGEST_HTTP"), "e2e");
      Map<String, String> byKind = new HashMap<>();
      ran.get("traces").forEach(t -> byKind.put(t.get("kind").asText(), t.get("traceId").asText()));
      traces.put(exporter, byKind);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (suite != null) {
      suite.close();
    }
  }

  @Test
  @Order(1)
  void theTracesListShowsEveryRunOfBothExporters() throws Exception {
    JsonNode listed =
        post(
            "/api/observability/traces/query",
            Map.of(
                "timeRange",
                    Map.of(
                        "from",
                        Instant.now().minusSeconds(3600).toString(),
                        "to",
                        Instant.now().plusSeconds(60).toString()),
                "orderBy", List.of(Map.of("field", "startedAt", "direction", "desc")),
                "page", Map.of("limit", 25)));
    Map<String, JsonNode> byTrace = new HashMap<>();
    listed.get("traces").forEach(t -> byTrace.put(t.get("traceId").asText(), t));
    for (String exporter : List.of("otlp", "platform")) {
      Map<String, String> ids = traces.get(exporter);
      assertThat(byTrace).containsKeys(ids.values().toArray(String[]::new));
      JsonNode agent = byTrace.get(ids.get("agent-ok"));
      assertThat(agent.get("entityType").asText()).isEqualTo("agent");
      assertThat(agent.get("entityName").asText()).isEqualTo("Travel Agent");
      assertThat(agent.get("status").asText()).isEqualTo("success");
      assertThat(agent.get("inputPreview").asText()).isEqualTo("What is the weather in Oslo?");
      JsonNode workflow = byTrace.get(ids.get("workflow-20"));
      assertThat(workflow.get("entityName").asText()).isEqualTo("order-workflow");
      assertThat(workflow.get("status").asText()).isEqualTo("error");
    }
  }

  /** The spec of each run of the app, under tracespec/ (the same for both exporters). */
  private static final Map<String, String> SPECS =
      Map.of(
          "agent-ok", "mastra-agent-run.yaml",
          "agent-tool-error", "mastra-agent-tool-error.yaml",
          "workflow-20", "mastra-order-workflow-small.yaml",
          "workflow-500", "mastra-order-workflow-large.yaml");

  /**
   * The shape of every run, its logs and the metrics it moved, as TraceSpecs checked by the query
   * service. Each trace is also recorded (with its logs) to target/tracespec/MastraIT/ for review,
   * beside the report of its check.
   */
  @ParameterizedTest
  @ValueSource(strings = {"otlp", "platform"})
  @Order(2)
  void everyRunHasTheShapeItsTraceSpecDescribes(String exporter) throws Exception {
    Map<String, String> ids = traces.get(exporter);
    for (String run : SPECS.keySet()) {
      Path recorded = Path.of("target/tracespec/MastraIT").resolve(exporter + "-" + run + ".yaml");
      Files.createDirectories(recorded.getParent());
      Files.writeString(recorded, getText("/api/v1/traces/" + ids.get(run) + "/spec?logs=true"));
    }
    for (String run : new java.util.TreeSet<>(SPECS.keySet())) {
      String spec = Files.readString(specFile(SPECS.get(run)));
      // Span-derived metrics reach the store shortly after the spans: ask again for a while.
      JsonNode result = checkTrace(ids.get(run), spec);
      for (int attempt = 0; attempt < 60 && !result.get("matched").asBoolean(); attempt++) {
        Thread.sleep(500);
        result = checkTrace(ids.get(run), spec);
      }
      Files.writeString(
          Path.of("target/tracespec/MastraIT").resolve(exporter + "-" + run + ".report.txt"),
          result.get("report").asText());
      assertThat(result.get("matched").asBoolean())
          .as(exporter + " " + run + ":\n" + result.get("report").asText())
          .isTrue();
    }
  }

  /** {@code ./sextant tracespec}, the command-line tool, against the running suite. */
  @Test
  @Order(3)
  void theCommandLineToolChecksTheAgentRun() throws Exception {
    String traceId = traces.get("otlp").get("agent-ok");
    Cli ok = sextantTracespec("check", traceId, specFile("mastra-agent-run.yaml").toString());
    assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).startsWith("PASS trace matches the spec");

    Path wrong = Files.createTempFile("mastra-wrong", ".yaml");
    Files.writeString(wrong, "spans: [{type: workflow_run, allowExtra: true}]\n");
    Cli mismatch = sextantTracespec("check", traceId, wrong.toString());
    assertThat(mismatch.code()).as(mismatch.err()).isEqualTo(1);
    assertThat(mismatch.out())
        .startsWith("FAIL trace does not match the spec: 1 missing, ")
        .contains("✗ * type=workflow_run");

    Cli recorded = sextantTracespec("record", traceId);
    assertThat(recorded.code()).isZero();
    assertThat(recorded.out()).contains("type: \"agent_run\"");

    Cli unknown = sextantTracespec("record", "0".repeat(31) + "1");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("HTTP 404");
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "platform"})
  @Order(4)
  void anAgentTraceHasItsTreeTokensAndCostWhicheverExporterSentIt(String exporter)
      throws Exception {
    // The tree is the TraceSpec's (everyRunHasTheShapeItsTraceSpecDescribes); here: the fields of
    // Mastra's routes.
    List<JsonNode> spans = spans(traces.get(exporter).get("agent-ok"));
    JsonNode root = only(spans, "agent_run");
    assertThat(root.get("parentSpanId").isNull()).isTrue();
    assertThat(root.get("input").asText()).isEqualTo("What is the weather in Oslo?");
    assertThat(root.get("output").get("text").asText()).isEqualTo("Here is what I found.");
    assertThat(root.get("tags"))
        .extracting(JsonNode::asText)
        .contains("e2e", "exporter:" + exporter);

    JsonNode tool = only(spans, "tool_call");
    assertThat(tool.get("entityName").asText()).isEqualTo("weatherTool");
    assertThat(tool.get("input").get("city").asText()).isEqualTo("Oslo");
    assertThat(tool.get("output").get("conditions").asText()).isEqualTo("snow");

    List<JsonNode> calls = ofType(spans, "model_inference");
    double cost = 0;
    long input = 0;
    for (JsonNode call : calls) {
      JsonNode usage = call.get("attributes").get("usage");
      assertThat(usage.get("inputTokens").asLong()).isEqualTo(INPUT);
      assertThat(usage.get("outputTokens").asLong()).isEqualTo(OUTPUT);
      assertThat(usage.get("inputDetails").get("cacheRead").asLong()).isEqualTo(20);
      assertThat(usage.get("outputDetails").get("reasoning").asLong()).isEqualTo(5);
      input += usage.get("inputTokens").asLong();
      cost += call.get("attributes").get("costContext").get("estimatedCost").asDouble();
    }
    assertThat(input).isEqualTo(2 * INPUT);
    assertThat(cost).isCloseTo(2 * COST_PER_CALL, org.assertj.core.data.Offset.offset(1e-12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "platform"})
  @Order(5)
  void errorsAreOnTheSpansThatFailed(String exporter) throws Exception {
    List<JsonNode> toolError = spans(traces.get(exporter).get("agent-tool-error"));
    JsonNode failing = only(toolError, "tool_call");
    assertThat(failing.get("entityName").asText()).isEqualTo("forecastTool");
    assertThat(failing.get("status").asText()).isEqualTo("error");
    assertThat(failing.get("error").get("message").asText())
        .isEqualTo("forecast service unreachable");
    // The run's tree, statuses and step names are the TraceSpecs'; here: the error fields of
    // Mastra's routes.
    for (String run : List.of("workflow-20", "workflow-500")) {
      List<JsonNode> spans = spans(traces.get(exporter).get(run));
      assertThat(only(spans, "workflow_run").get("status").asText()).isEqualTo("error");
      JsonNode charge =
          ofType(spans, "workflow_step").stream()
              .filter(step -> step.get("entityId").asText().equals("charge-card"))
              .findFirst()
              .orElseThrow();
      assertThat(charge.get("error").get("message").asText()).isEqualTo("card declined");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "platform"})
  @Order(6)
  void logsOfToolsAndStepsAreListed(String exporter) throws Exception {
    String trace = traces.get(exporter).get("agent-ok");
    JsonNode logs = get("/api/observability/logs?page=0&perPage=50&traceId=" + trace);
    List<String> messages = new ArrayList<>();
    logs.get("logs").forEach(l -> messages.add(l.get("message").asText()));
    assertThat(messages).contains("weather lookup requested");
    JsonNode errors =
        get(
            "/api/observability/logs?page=0&perPage=50&level=error&traceId="
                + traces.get(exporter).get("agent-tool-error"));
    assertThat(errors.get("logs"))
        .extracting(l -> l.get("message").asText())
        .contains("forecast service unreachable");
  }

  /** Metric events: Mastra's own over the publish API, made of the spans for OTLP. */
  @ParameterizedTest
  @ValueSource(strings = {"otlp", "platform"})
  @Order(7)
  void metricEventsAnswerMastrasMetricRoutes(String exporter) throws Exception {
    Map<String, Object> filters =
        Map.of(
            "timestamp",
            Map.of(
                "start",
                Instant.now().minusSeconds(3600).toString(),
                "end",
                Instant.now().plusSeconds(60).toString()),
            "serviceName",
            "mastra-app-" + exporter);
    JsonNode tokens =
        post(
            "/api/observability/metrics/aggregate",
            Map.of(
                "name",
                List.of("mastra_model_total_input_tokens", "mastra_model_total_output_tokens"),
                "aggregation",
                "sum",
                "filters",
                filters,
                "comparePeriod",
                "previous_period"));
    // Two agent runs, two model calls each: once per generation (Mastra's events) or per call
    // (made of OTLP spans), the same totals.
    assertThat(tokens.get("value").asDouble()).isEqualTo(2 * 2 * (INPUT + OUTPUT));
    assertThat(tokens.get("estimatedCost").asDouble()).isPositive();
    assertThat(tokens.get("costUnit").asText()).isEqualTo("USD");
    assertThat(tokens.get("previousValue").isNull()).isTrue();

    JsonNode runs =
        post(
            "/api/observability/metrics/breakdown",
            Map.of(
                "name",
                List.of("mastra_workflow_duration_ms"),
                "groupBy",
                List.of("entityName", "status"),
                "aggregation",
                "count",
                "filters",
                filters));
    assertThat(runs.get("groups")).hasSize(1);
    assertThat(runs.get("groups").get(0).get("dimensions").get("status").asText())
        .isEqualTo("error");
    assertThat(runs.get("groups").get(0).get("value").asDouble()).isEqualTo(2);

    JsonNode latency =
        post(
            "/api/observability/metrics/percentiles",
            Map.of(
                "name",
                "mastra_agent_duration_ms",
                "percentiles",
                List.of(0.5, 0.95),
                "interval",
                "1h",
                "filters",
                filters));
    assertThat(latency.get("series")).hasSize(2);
    assertThat(latency.get("series").get(0).get("points").get(0).get("value").asDouble())
        .isPositive();

    if (exporter.equals("otlp")) {
      return; // the OTLP exporter sends no custom metrics
    }
    JsonNode custom =
        post(
            "/api/observability/metrics/aggregate",
            Map.of(
                "name", List.of("app_weather_lookups"), "aggregation", "sum", "filters", filters));
    assertThat(custom.get("value").asDouble()).isEqualTo(1);
    assertThat(get("/api/observability/discovery/metric-names").get("names"))
        .extracting(JsonNode::asText)
        .contains(
            "mastra_agent_duration_ms", "mastra_model_total_input_tokens", "app_weather_lookups");
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "platform"})
  @Order(8)
  void spanDerivedTokenMetricsCountEachModelCallOnce(String exporter) throws Exception {
    String service = exporter.equals("otlp") ? "mastra-app-otlp" : "mastra";
    String promql =
        "sum(sextant_gen_ai_tokens_total{gen_ai_token_type=\"input\",job=\"" + service + "\"})";
    double expected = 2 * 2 * INPUT; // two agent runs, two model calls each
    double seen = -1;
    for (int attempt = 0; attempt < 60 && seen != expected; attempt++) {
      JsonNode result =
          get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
      JsonNode vector = result.get("data").get("result");
      seen = vector.isEmpty() ? -1 : vector.get(0).get("value").get(1).asDouble();
      if (seen != expected) {
        Thread.sleep(500);
      }
    }
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  @Order(9)
  void mastraStudioShowsSextantsData() throws Exception {
    try (MastraStudio studio = MastraStudio.start(app, suite.port("QUERY_HTTP"))) {
      String agentTrace = traces.get("platform").get("agent-ok");
      String tracesPage = studio.render("/observability", "traces");
      assertThat(tracesPage).contains("travel-agent").contains("order-workflow");
      String tracePage = studio.render("/observability?traceId=" + agentTrace, "trace");
      assertThat(tracePage).contains("weatherTool").contains("gpt-4o-mini");
      String metricsPage = studio.render("/metrics", "metrics");
      assertThat(metricsPage).contains("Travel Agent");
      String logsPage = studio.render("/logs", "logs");
      assertThat(logsPage).contains("weather lookup requested");
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static Path specFile(String name) {
    return RunningSuite.repositoryRoot()
        .resolve("tests/e2e/src/test/resources/tracespec")
        .resolve(name);
  }

  private static JsonNode checkTrace(String traceId, String spec) throws Exception {
    return TraceSpecChecks.check(suite, traceId, spec);
  }

  private record Cli(int code, String out, String err) {}

  private static Cli sextantTracespec(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(RunningSuite.repositoryRoot().resolve("sextant").toString());
    command.add("tracespec");
    command.addAll(List.of(args));
    command.add("--query");
    command.add("http://127.0.0.1:" + suite.port("QUERY_HTTP"));
    Path out = Files.createTempFile("tracespec-out", ".txt");
    Path err = Files.createTempFile("tracespec-err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("sextant tracespec " + String.join(" ", args) + " did not finish");
    }
    return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static String getText(String pathAndQuery) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + suite.port("QUERY_HTTP") + pathAndQuery))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  private static List<JsonNode> spans(String traceId) throws Exception {
    List<JsonNode> spans = new ArrayList<>();
    get("/api/observability/traces/" + traceId).get("spans").forEach(spans::add);
    return spans;
  }

  private static List<JsonNode> ofType(List<JsonNode> spans, String type) {
    return spans.stream().filter(s -> s.get("spanType").asText().equals(type)).toList();
  }

  private static JsonNode only(List<JsonNode> spans, String type) {
    List<JsonNode> found = ofType(spans, type);
    assertThat(found).as(type).hasSize(1);
    return found.getFirst();
  }

  private static JsonNode get(String pathAndQuery) throws Exception {
    return JSON.readTree(getText(pathAndQuery));
  }

  private static JsonNode post(String path, Object body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + suite.port("QUERY_HTTP") + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
