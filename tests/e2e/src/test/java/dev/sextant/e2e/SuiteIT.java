package dev.sextant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The foundation's promise, end to end: the README's run command starts the suite, a real
 * OpenTelemetry SDK exports traces, logs and metrics to it, and the query API returns them. An
 * export the SDK saw succeed must be readable at once: acknowledged means stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuiteIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Resource RESOURCE =
      Resource.getDefault()
          .merge(
              Resource.create(
                  Attributes.of(
                      AttributeKey.stringKey("service.name"), "e2e-agent",
                      AttributeKey.stringKey("deployment.environment"), "test")));

  static RunningSuite suite;

  /** One instance per class, so a subclass changes how the suite starts by overriding. */
  @BeforeAll
  void startSuite() throws Exception {
    suite = RunningSuite.start(environment());
  }

  /** The run command's environment beyond ports and data folder: none, the defaults. */
  Map<String, String> environment() {
    return Map.of();
  }

  @AfterAll
  static void stopSuite() throws Exception {
    if (suite != null) {
      suite.close();
    }
  }

  @Test
  @Order(1)
  void allFourServicesAreReadyOnTheEmbeddedStore() throws Exception {
    for (String service : List.of("INGEST", "AGGREGATOR", "QUERY", "RETENTION")) {
      HttpResponse<String> ready = get(suite.port(service + "_HTTP"), "/q/health/ready");
      assertThat(ready.statusCode()).as(service + " ready: " + ready.body()).isEqualTo(200);
      assertThat(JSON.readTree(ready.body()).findValuesAsText("kind")).contains(storageKind());
    }
    assertThat(suite.services()).hasSize(4);
    assertStoreExists();
  }

  @Test
  @Order(2)
  void tracesExportedByTheOtelSdkOverGrpcAndHttpAreReadBack() throws Exception {
    String grpcTrace =
        exportTrace(
            OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.port("INGEST_GRPC"))
                .build());
    String httpTrace =
        exportTrace(
            OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.port("INGEST_HTTP") + "/v1/traces")
                .build());

    for (String traceId : List.of(grpcTrace, httpTrace)) {
      // The shape is a TraceSpec (libs/tracespec), checked by the query service.
      assertTraceMatches(traceId, "otel-agent-run.yaml");
      // Record the trace as a spec end to end: the recorded spec matches it.
      HttpResponse<String> recorded =
          get(suite.port("QUERY_HTTP"), "/api/v1/traces/" + traceId + "/spec");
      assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(200);
      assertThat(checkTrace(traceId, recorded.body()).get("matched").asBoolean())
          .as(recorded.body())
          .isTrue();
    }
    JsonNode wrong =
        checkTrace(grpcTrace, "spans: [{name: agent.run, children: [{name: llm.call}]}]");
    assertThat(wrong.get("matched").asBoolean()).isFalse();
    assertThat(wrong.get("summary").asText())
        .isEqualTo("trace does not match the spec: 1 extra (3 spans)");
    JsonNode diff = queryJson("/api/v1/traces/diff?a=" + grpcTrace + "&b=" + httpTrace);
    assertThat(diff.get("identical").asBoolean()).as(diff.get("report").asText()).isTrue();

    JsonNode found = queryJson("/api/v1/traces?service=e2e-agent&status=error&limit=10");
    assertThat(found.get("traces"))
        .extracting(t -> t.get("traceId").asText())
        .contains(grpcTrace, httpTrace);
    JsonNode byAttribute =
        queryJson("/api/v1/traces?attr=" + enc("gen_ai.request.model=mock-model") + "&limit=10");
    assertThat(byAttribute.get("traces"))
        .extracting(t -> t.get("traceId").asText())
        .contains(grpcTrace, httpTrace);
  }

  @Test
  @Order(3)
  void logsExportedByTheOtelSdkAreLinkedToTheirTrace() throws Exception {
    OtlpHttpLogRecordExporter exporter =
        OtlpHttpLogRecordExporter.builder()
            .setEndpoint("http://127.0.0.1:" + suite.port("INGEST_HTTP") + "/v1/logs")
            .build();
    SdkLoggerProvider logs =
        SdkLoggerProvider.builder()
            .setResource(RESOURCE)
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())
            .build();
    SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(RESOURCE).build();
    Span span = tracing.get("e2e").spanBuilder("log.parent").startSpan();
    String traceId = span.getSpanContext().getTraceId();
    logs.get("e2e")
        .logRecordBuilder()
        .setContext(Context.current().with(span))
        .setSeverity(Severity.WARN)
        .setBody("tool budget nearly exhausted: 95%")
        .setAttribute(AttributeKey.stringKey("tool"), "search")
        .emit();
    span.end();
    assertSucceeded(logs.forceFlush(), "log export");
    logs.close();
    tracing.close();

    JsonNode found = queryJson("/api/v1/logs?traceId=" + traceId + "&limit=10");
    assertThat(found.get("logs")).hasSize(1);
    JsonNode record = found.get("logs").get(0);
    assertThat(record.get("body").asText()).isEqualTo("tool budget nearly exhausted: 95%");
    assertThat(record.get("severityNumber").asInt()).isEqualTo(Severity.WARN.getSeverityNumber());
    assertThat(record.get("serviceName").asText()).isEqualTo("e2e-agent");
    assertThat(queryJson("/api/v1/logs?contains=" + enc("95%") + "&severity=warn").get("logs"))
        .extracting(l -> l.get("traceId").asText())
        .contains(traceId);
  }

  @Test
  @Order(4)
  void metricsExportedByTheOtelSdkBecomeSeriesWithPoints() throws Exception {
    RecordingMetricExporter exporter =
        new RecordingMetricExporter(
            OtlpGrpcMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.port("INGEST_GRPC"))
                .build());
    SdkMeterProvider meters =
        SdkMeterProvider.builder()
            .setResource(RESOURCE)
            .registerMetricReader(
                PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
            .build();
    Meter meter = meters.get("e2e");
    Attributes agent = Attributes.of(AttributeKey.stringKey("agent"), "planner");
    meter.counterBuilder("e2e.requests").build().add(3, agent);
    meter.gaugeBuilder("e2e.queue.depth").build().set(7.5, agent);
    var latency = meter.histogramBuilder("e2e.latency").setUnit("ms").build();
    for (double ms : new double[] {3, 40, 40, 900}) {
      latency.record(ms, agent);
    }
    flushAcknowledged(meters, exporter, "metric export");
    meters.close();

    // Stored points become readable within the store's visibility lag (a flush interval).
    List<String> expected = List.of("e2e.requests", "e2e.queue.depth", "e2e.latency");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> names = metricNames();
    while (!names.containsAll(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      names = metricNames();
    }
    assertThat(names).containsAll(expected);

    // Closing the meter provider exported once more: cumulative points repeat the same state.
    assertThat(latestPoint("e2e.requests").get("value").asDouble()).isEqualTo(3.0);
    assertThat(latestPoint("e2e.queue.depth").get("value").asDouble()).isEqualTo(7.5);
    JsonNode histogram = latestPoint("e2e.latency").get("histogram");
    assertThat(histogram.get("count").asLong()).isEqualTo(4);
    assertThat(histogram.get("sum").asDouble()).isEqualTo(983.0);
  }

  @Test
  @Order(5)
  void deltaAndCumulativeExportersAndExponentialHistogramsReadBackAsSent() throws Exception {
    Attributes model = Attributes.of(AttributeKey.stringKey("model"), "mock-model");
    long[][] tokens = {{120, 30}, {80}};
    for (boolean delta : new boolean[] {true, false}) {
      String counter = delta ? "e2e.tokens.delta" : "e2e.tokens.cumulative";
      String latency = delta ? "e2e.llm.latency.delta" : "e2e.llm.latency.cumulative";
      RecordingMetricExporter exporter =
          new RecordingMetricExporter(
              OtlpGrpcMetricExporter.builder()
                  .setEndpoint("http://127.0.0.1:" + suite.port("INGEST_GRPC"))
                  .setAggregationTemporalitySelector(
                      delta
                          ? AggregationTemporalitySelector.deltaPreferred()
                          : AggregationTemporalitySelector.alwaysCumulative())
                  .setDefaultAggregationSelector(
                      DefaultAggregationSelector.getDefault()
                          .with(
                              InstrumentType.HISTOGRAM,
                              Aggregation.base2ExponentialBucketHistogram()))
                  .build());
      SdkMeterProvider meters =
          SdkMeterProvider.builder()
              .setResource(RESOURCE)
              .registerMetricReader(
                  PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
              .build();
      Meter meter = meters.get("e2e");
      var tokenCounter = meter.counterBuilder(counter).setUnit("{token}").build();
      var latencies = meter.histogramBuilder(latency).setUnit("ms").build();
      for (long[] export : tokens) {
        for (long n : export) {
          tokenCounter.add(n, model);
          latencies.record(n * 7.5, model);
          // The SDK records no negative values into histograms; small ones land far below.
          latencies.record(n / 1000.0, model);
        }
        flushAcknowledged(meters, exporter, counter + " export");
      }
      meters.close();

      // Deltas 150 and 80, or cumulative 150 and 230 (plus a repeat as the provider closes):
      // stored as the same running sum.
      assertThat(awaitPoints(counter, exporter.exported(counter).size()))
          .extracting(p -> p.get("value").asDouble())
          .containsSubsequence(150.0, 230.0)
          .last()
          .isEqualTo(230.0);
      // The last exponential histogram sent, bucket for bucket (deltas summed up by the
      // aggregator).
      List<MetricData> sent = exporter.exported(latency);
      ExponentialHistogramPointData last =
          sent.getLast().getExponentialHistogramData().getPoints().iterator().next();
      JsonNode stored = awaitPoints(latency, sent.size()).getLast().get("exponentialHistogram");
      assertThat(stored.get("count").asLong()).isEqualTo(6);
      assertThat(stored.get("sum").asDouble())
          .isCloseTo(230 * 7.5 + 0.23, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(stored.get("scale").asInt()).isLessThanOrEqualTo(last.getScale());
      assertThat(
              sumOf(stored.get("positive").get("bucketCounts")) + stored.get("zeroCount").asLong())
          .isEqualTo(6);
      if (!delta) {
        // Cumulative points are stored exactly as the SDK sent them.
        assertThat(stored.get("scale").asInt()).isEqualTo(last.getScale());
        assertThat(stored.get("positive").get("offset").asInt())
            .isEqualTo(last.getPositiveBuckets().getOffset());
        assertThat(longs(stored.get("positive").get("bucketCounts")))
            .isEqualTo(last.getPositiveBuckets().getBucketCounts());
        assertThat(longs(stored.get("negative").get("bucketCounts")))
            .isEqualTo(last.getNegativeBuckets().getBucketCounts());
        assertThat(stored.get("zeroCount").asLong()).isEqualTo(last.getZeroCount());
      }
    }
  }

  @Test
  @Order(6)
  void everyServiceCountsItsWorkOnItsMetricsEndpoint() throws Exception {
    assertThat(metrics("INGEST")).contains("sextant_store_seconds_count{", "signal=\"spans\"");
    assertThat(metrics("AGGREGATOR")).contains("sextant_aggregator_", "signal=\"metrics\"");
    assertThat(metrics("QUERY")).contains("sextant_query_", "sextant_store_seconds_count{");
    assertThat(metrics("RETENTION")).contains("sextant_retention_runs_total");
  }

  /**
   * Retention is on by default: a policy per signal exists from the first start, each ran once at
   * startup, and the service's own metrics say that it ran (retention that silently never runs is
   * what users of other systems meet).
   */
  @Test
  @Order(6)
  void retentionRanEveryDefaultPolicyAtStartupAndItsMetricsSaySo() throws Exception {
    int port = suite.port("RETENTION_HTTP");
    JsonNode policies = JSON.readTree(get(port, "/api/v1/retention/policies").body());
    List<String> defaults = new ArrayList<>();
    for (JsonNode policy : policies.get("policies")) {
      if (policy.get("defaultPolicy").asBoolean()) {
        assertThat(policy.get("enabled").asBoolean()).as(policy.toString()).isTrue();
        assertThat(policy.get("nextRunAt").isTextual()).as(policy.toString()).isTrue();
        defaults.add(policy.get("id").asText());
      }
    }
    assertThat(defaults).contains("default-spans", "default-logs", "default-metricPoints");

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> ranAtStartup = new ArrayList<>();
    while (true) {
      ranAtStartup.clear();
      HttpResponse<String> runs = get(port, "/api/v1/retention/runs?limit=1000");
      assertThat(runs.statusCode()).as(runs.body()).isEqualTo(200);
      for (JsonNode run : JSON.readTree(runs.body()).get("runs")) {
        if (run.get("trigger").asText().equals("startup")
            && run.get("status").asText().equals("succeeded")) {
          ranAtStartup.add(run.get("policyId").asText());
        }
      }
      if (ranAtStartup.containsAll(defaults) || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(ranAtStartup).containsAll(defaults);

    String metrics = metrics("RETENTION");
    assertThat(
            sample(
                metrics,
                "sextant_retention_runs_total",
                "outcome=\"succeeded\"",
                "trigger=\"startup\""))
        .isGreaterThanOrEqualTo(defaults.size());
    assertThat(sample(metrics, "sextant_retention_last_success_timestamp_seconds"))
        .isGreaterThan(0);
  }

  /** The value of the one sample of a metric whose line has every one of the labels given. */
  static double sample(String exposition, String name, String... labels) {
    List<Double> values = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        boolean all = true;
        for (String label : labels) {
          all &= line.contains(label);
        }
        if (all) {
          values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
      }
    }
    assertThat(values).as(name + " " + List.of(labels) + " in\n" + exposition).hasSize(1);
    return values.getFirst();
  }

  @Test
  @Order(7)
  void runCommandStopsEveryServiceOnSigterm() throws Exception {
    List<ProcessHandle> services = suite.services();
    assertThat(services).hasSize(4);
    assertThat(suite.stop()).as(suite.output()).isZero();
    for (ProcessHandle service : services) {
      service.onExit().get(30, TimeUnit.SECONDS);
      assertThat(service.isAlive()).isFalse();
    }
    assertThat(suite.output()).contains("sextant: stopped");
    assertStoreHoldsSpans();
  }

  /** The backend the suite runs on, as readiness names it: the embedded default. */
  String storageKind() {
    return "sqlite";
  }

  /** The store is where the run command keeps it: the SQLite files in the data folder. */
  void assertStoreExists() {
    assertThat(suite.dataDir.resolve("spans.db")).exists();
  }

  /** After the suite stopped, its store still holds the spans it acknowledged. */
  void assertStoreHoldsSpans() throws Exception {
    assertThat(Files.size(suite.dataDir.resolve("spans.db"))).isPositive();
  }

  private String exportTrace(io.opentelemetry.sdk.trace.export.SpanExporter exporter)
      throws Exception {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    Tracer tracer = provider.get("e2e");
    Span root = tracer.spanBuilder("agent.run").startSpan();
    String traceId = root.getSpanContext().getTraceId();
    try (Scope ignored = root.makeCurrent()) {
      Span llm =
          tracer
              .spanBuilder("llm.call")
              .setAttribute("gen_ai.request.model", "mock-model")
              .setAttribute("gen_ai.usage.input_tokens", 42L)
              .startSpan();
      llm.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L));
      llm.setStatus(StatusCode.ERROR, "rate limited");
      llm.end();
      tracer.spanBuilder("tool.call").setAttribute("tool", "search").startSpan().end();
    } finally {
      root.end();
    }
    assertSucceeded(provider.forceFlush(), "span export");
    provider.close();
    return traceId;
  }

  static String metrics(String service) throws Exception {
    HttpResponse<String> response = get(suite.port(service + "_HTTP"), "/q/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private JsonNode latestPoint(String metric) throws Exception {
    JsonNode series =
        queryJson("/api/v1/metrics/series?match=" + enc("{__name__=\"" + metric + "\"}"))
            .get("series");
    assertThat(series).as(metric + " series").hasSize(1);
    assertThat(series.get(0).get("labels").get("agent").asText()).isEqualTo("planner");
    JsonNode points =
        queryJson("/api/v1/metrics/points?series=" + series.get(0).get("id").asText())
            .get("points");
    assertThat(points).as(metric + " points").isNotEmpty();
    return points.get(points.size() - 1);
  }

  /**
   * The points of a metric's only series once it has at least {@code count}: the store may make
   * points readable a little after the acknowledgement (its declared visibility lag), so the test
   * asks again until then, for at most 30 s.
   */
  private static List<JsonNode> awaitPoints(String metric, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      JsonNode series =
          queryJson("/api/v1/metrics/series?match=" + enc("{__name__=\"" + metric + "\"}"))
              .get("series");
      List<JsonNode> points = new ArrayList<>();
      if (series.size() == 1) {
        queryJson("/api/v1/metrics/points?series=" + series.get(0).get("id").asText())
            .get("points")
            .forEach(points::add);
      }
      if (points.size() >= count || System.nanoTime() > deadline) {
        assertThat(series).as(metric + " series").hasSize(1);
        assertThat(points).as(metric + " points").hasSizeGreaterThanOrEqualTo(count);
        return points;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static long sumOf(JsonNode counts) {
    long sum = 0;
    for (JsonNode c : counts) {
      sum += c.asLong();
    }
    return sum;
  }

  private static List<Long> longs(JsonNode counts) {
    List<Long> values = new ArrayList<>();
    counts.forEach(c -> values.add(c.asLong()));
    return values;
  }

  private static void assertSucceeded(CompletableResultCode result, String what) {
    result.join(30, TimeUnit.SECONDS);
    assertThat(result.isSuccess())
        .as(
            what
                + " acknowledged (failure: "
                + result.getFailureThrowable()
                + ")\n"
                + suite.output())
        .isTrue();
  }

  private static void flushAcknowledged(
      SdkMeterProvider meters, RecordingMetricExporter exporter, String what)
      throws InterruptedException {
    exporter.flushAcknowledged(meters, what, suite::output);
  }

  private static List<String> metricNames() throws Exception {
    List<String> names = new ArrayList<>();
    queryJson("/api/v1/metrics/names").get("names").forEach(name -> names.add(name.asText()));
    return names;
  }

  /** Checks the trace against the spec in {@code tracespec/<specFile>}; the report on failure. */
  private static void assertTraceMatches(String traceId, String specFile) throws Exception {
    String spec;
    try (var in = SuiteIT.class.getResourceAsStream("/tracespec/" + specFile)) {
      spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    JsonNode result = checkTrace(traceId, spec);
    assertThat(result.get("matched").asBoolean()).as(result.get("report").asText()).isTrue();
  }

  private static JsonNode checkTrace(String traceId, String spec) throws Exception {
    return TraceSpecChecks.check(suite, traceId, spec);
  }

  private static JsonNode queryJson(String pathAndQuery) throws Exception {
    HttpResponse<String> response = get(suite.port("QUERY_HTTP"), pathAndQuery);
    assertThat(response.statusCode()).as(pathAndQuery + " -> " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
