package dev.sextant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.storage.testkit.TestPostgres;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two aggregator shards end to end on PostgreSQL (ADR 0014): the run command's aggregator as shard
 * 0, a second aggregator process as shard 1 on the same store, both and ingest reading the shard
 * count from one file. Delta counters of many metrics, exported by the OpenTelemetry SDK through
 * ingest, add up to what was sent, written by both shards; when the file says one shard, ingest
 * sends everything to shard 0, which takes shard 1's metrics over from the store and goes on
 * summing from where shard 1 left them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardedSuiteIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int METRICS = 12;
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final Attributes AGENT = Attributes.of(AttributeKey.stringKey("agent"), "planner");

  private Path countFile;
  private Path shardOneLog;
  private Process shardOne;
  private int shardOneHttp;
  private RunningSuite suite;
  private RecordingMetricExporter exporter;
  private SdkMeterProvider meters;
  private final List<LongCounter> counters = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    countFile = Files.writeString(Files.createTempFile("sextant-shards", ""), "2\n");
    countFile.toFile().deleteOnExit();
    Map<String, String> shared = new HashMap<>();
    shared.put("SEXTANT_STORAGE_KIND", "postgres");
    shared.put("SEXTANT_STORAGE_POSTGRES_URL", TestPostgres.shared().url());
    shared.put("SEXTANT_STORAGE_POSTGRES_SCHEMA", "e2e_shards");
    shared.put("SEXTANT_AGGREGATOR_SHARD_COUNT_FILE", countFile.toString());
    shared.put("SEXTANT_AGGREGATOR_SHARD_POLL_INTERVAL", "200ms");
    shared.put("SEXTANT_AGGREGATOR_SHARD_HAND_OVER_GRACE", GRACE.toMillis() + "ms");

    int shardZeroGrpc = RunningSuite.freePort();
    int shardOneGrpc = RunningSuite.freePort();
    shardOneHttp = RunningSuite.freePort();
    shardOne = startShardOne(shared, shardOneGrpc);
    awaitReady(shardOneHttp, "aggregator shard 1");

    Map<String, String> environment = new HashMap<>(shared);
    environment.put("SEXTANT_AGGREGATOR_SHARD_INDEX", "0");
    environment.put("SEXTANT_AGGREGATOR_GRPC_PORT", String.valueOf(shardZeroGrpc));
    environment.put("SEXTANT_INGEST_PIPELINE_SHARDS_COUNT_FILE", countFile.toString());
    environment.put("SEXTANT_INGEST_PIPELINE_SHARDS_POLL_INTERVAL", "200ms");
    environment.put(
        "SEXTANT_INGEST_PIPELINE_SHARDS_TARGETS",
        "localhost:" + shardZeroGrpc + ",localhost:" + shardOneGrpc);
    suite = RunningSuite.start(environment);

    exporter =
        new RecordingMetricExporter(
            OtlpGrpcMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.port("INGEST_GRPC"))
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred())
                .build());
    meters =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
            .build();
    for (int metric = 0; metric < METRICS; metric++) {
      counters.add(meters.get("e2e").counterBuilder(name(metric)).build());
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (meters != null) {
      meters.shutdown().join(10, TimeUnit.SECONDS);
    }
    if (suite != null) {
      suite.close();
    }
    if (shardOne != null) {
      shardOne.destroy();
      if (!shardOne.waitFor(60, TimeUnit.SECONDS)) {
        shardOne.destroyForcibly();
      }
    }
  }

  private Process startShardOne(Map<String, String> shared, int grpcPort) throws Exception {
    Path root = RunningSuite.repositoryRoot();
    shardOneLog = Files.createTempFile("sextant-aggregator-shard-1", ".log");
    shardOneLog.toFile().deleteOnExit();
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.grpc.server.port=" + grpcPort,
                "-Dquarkus.http.port=" + shardOneHttp,
                "-jar",
                root.resolve("services/aggregator/target/quarkus-app/quarkus-run.jar").toString())
            .redirectErrorStream(true)
            .redirectOutput(shardOneLog.toFile());
    builder.environment().putAll(shared);
    builder.environment().put("SEXTANT_AGGREGATOR_SHARD_INDEX", "1");
    return builder.start();
  }

  private static String name(int metric) {
    return "e2e.sharded." + metric;
  }

  /** Adds {@code metric + 1} to every counter and exports the deltas. */
  private void exportRound(String what) throws Exception {
    for (int metric = 0; metric < METRICS; metric++) {
      counters.get(metric).add(metric + 1, AGENT);
    }
    exporter.flushAcknowledged(meters, what, this::output);
  }

  @Test
  @Order(1)
  void deltasSentThroughIngestAreSummedOnceEachByTheShardThatOwnsTheirMetric() throws Exception {
    awaitLink(2);
    Thread.sleep(GRACE.toMillis() + 500); // both shards past their startup wait

    exportRound("first export");
    exportRound("second export");

    for (int metric = 0; metric < METRICS; metric++) {
      assertThat(awaitValue(name(metric), 2.0 * (metric + 1))).isEqualTo(2.0 * (metric + 1));
    }
    assertThat(committedBatches(suite.port("AGGREGATOR_HTTP"))).as("shard 0 wrote").isPositive();
    assertThat(committedBatches(shardOneHttp)).as("shard 1 wrote").isPositive();
    assertThat(notOwnerBatches(suite.port("AGGREGATOR_HTTP")) + notOwnerBatches(shardOneHttp))
        .as("batches sent to a shard that does not own their metric")
        .isZero();
  }

  @Test
  @Order(2)
  void whenTheCountDropsToOneShardZeroTakesOverAndTheSumsGoOn() throws Exception {
    double shardOneBefore = committedBatches(shardOneHttp);
    Files.writeString(countFile, "1\n");
    awaitLink(1);
    Thread.sleep(GRACE.toMillis() + 500); // shard 0's wait for the metrics it gains

    exportRound("export after the scale-down");

    for (int metric = 0; metric < METRICS; metric++) {
      assertThat(awaitValue(name(metric), 3.0 * (metric + 1))).isEqualTo(3.0 * (metric + 1));
    }
    assertThat(committedBatches(shardOneHttp))
        .as("shard 1 wrote no more")
        .isEqualTo(shardOneBefore);
  }

  /** Waits until ingest routes to {@code shards} shards over streams that are all up. */
  private void awaitLink(int shards) throws Exception {
    awaitJson(
        suite.port("INGEST_HTTP"),
        "/q/health/ready",
        health -> {
          for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("aggregator-link")) {
              JsonNode data = check.get("data");
              return data.get("shards").asInt() == shards
                  && data.get("state").asText().equals("READY");
            }
          }
          return false;
        },
        "ingest routing to " + shards + " shards");
  }

  /** The last stored value of a metric's only series, once it is {@code expected} (or 30 s on). */
  private double awaitValue(String metric, double expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    double value = Double.NaN;
    while (value != expected && System.nanoTime() < deadline) {
      JsonNode series =
          query("/api/v1/metrics/series?match=" + SuiteIT.enc("{__name__=\"" + metric + "\"}"))
              .get("series");
      if (series.size() == 1) {
        JsonNode points =
            query("/api/v1/metrics/points?series=" + series.get(0).get("id").asText())
                .get("points");
        value =
            points.isEmpty() ? Double.NaN : points.get(points.size() - 1).get("value").asDouble();
      }
      if (value != expected) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    return value;
  }

  private double committedBatches(int httpPort) throws Exception {
    return sample(httpPort, "sextant_aggregator_batches_acked_total", "status=\"committed\"");
  }

  private double notOwnerBatches(int httpPort) throws Exception {
    return sample(httpPort, "sextant_aggregator_batches_rejected_total", "reason=\"not_owner\"");
  }

  /** The value of a metric's sample whose labels include {@code label}; 0 when there is none. */
  private static double sample(int httpPort, String metric, String label) throws Exception {
    for (String line : SuiteIT.get(httpPort, "/q/metrics").body().split("\n")) {
      if (line.startsWith(metric + "{") && line.contains(label)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  private JsonNode query(String pathAndQuery) throws Exception {
    HttpResponse<String> response = SuiteIT.get(suite.port("QUERY_HTTP"), pathAndQuery);
    assertThat(response.statusCode()).as(pathAndQuery + " -> " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private void awaitReady(int httpPort, String what) throws Exception {
    awaitJson(httpPort, "/q/health/ready", health -> true, what);
  }

  private void awaitJson(int port, String path, Predicate<JsonNode> done, String what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try {
        HttpResponse<String> response = SuiteIT.get(port, path);
        if (response.statusCode() == 200 && done.test(JSON.readTree(response.body()))) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      assertThat(System.nanoTime()).as(what + "\n" + output()).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private String output() {
    String shardOneOutput;
    try {
      shardOneOutput = Files.readString(shardOneLog);
    } catch (java.io.IOException e) {
      shardOneOutput = "(unreadable: " + e + ")";
    }
    return (suite == null ? "" : suite.output()) + "\n[aggregator shard 1]\n" + shardOneOutput;
  }
}
