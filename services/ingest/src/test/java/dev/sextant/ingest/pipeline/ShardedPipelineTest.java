package dev.sextant.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sextant.ingest.Delivery;
import dev.sextant.ingest.IngestConfig;
import dev.sextant.model.SeriesShards;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import dev.sextant.service.errors.Failures;
import dev.sextant.service.errors.RejectedRequestException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest's routing of metric points to aggregator shards, against fake shards on real gRPC streams
 * ({@link ShardFake}): which shard gets which points, when a split export is answered, what a "not
 * owner" answer becomes, and a change of the shard count read from its file.
 */
class ShardedPipelineTest {
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  @TempDir Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final List<ShardFake> shards = new ArrayList<>();
  private final List<MetricPipelineClient> clients = new ArrayList<>();
  private Path countFile;

  @BeforeEach
  void startShards() throws IOException {
    for (int shard = 0; shard < 3; shard++) {
      shards.add(new ShardFake(shard, 2));
    }
    countFile = Files.writeString(dir.resolve("count"), "2\n");
  }

  @AfterEach
  void stop() {
    clients.forEach(MetricPipelineClient::stop);
    shards.forEach(ShardFake::close);
    vertx.close();
  }

  private static IngestConfig.Pipeline config(Map<String, String> settings) {
    return new SmallRyeConfigBuilder()
        .withMapping(IngestConfig.class)
        .withConverter(Duration.class, 100, new DurationConverter())
        .withDefaultValues(settings)
        .build()
        .getConfigMapping(IngestConfig.class)
        .pipeline();
  }

  /** A client routing by the count file to the three fake shards (the third unused at first). */
  private MetricPipelineClient shardedClient() {
    return shardedClient(Map.of());
  }

  private MetricPipelineClient shardedClient(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(more);
    settings.put("sextant.ingest.pipeline.shards.count-file", countFile.toString());
    settings.put("sextant.ingest.pipeline.shards.poll-interval", "1h");
    settings.put(
        "sextant.ingest.pipeline.shards.targets",
        shards.get(0).target() + "," + shards.get(1).target() + "," + shards.get(2).target());
    return started(
        new MetricPipelineClient(null, vertx, config(settings), Optional.empty(), registry()));
  }

  private MetricPipelineClient started(MetricPipelineClient client) {
    clients.add(client);
    client.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.status().state() == LinkState.READY);
    return client;
  }

  private static SimpleMeterRegistry registry() {
    return new SimpleMeterRegistry();
  }

  private static MetricPoint gauge(String metric, String series, long time) {
    return MetricPoint.newBuilder()
        .setName(metric)
        .setType(MetricType.METRIC_TYPE_GAUGE)
        .setTemporality(Temporality.TEMPORALITY_NONE)
        .addLabels(Label.newBuilder().setName("series").setValue(series))
        .setTimeUnixNano(time)
        .setNumber(1)
        .build();
  }

  /** Every metric with three series, at one time. */
  private static List<MetricPoint> export(int metrics, long time) {
    List<MetricPoint> points = new ArrayList<>();
    for (int metric = 0; metric < metrics; metric++) {
      for (int series = 0; series < 3; series++) {
        points.add(gauge("metric_" + metric, "s" + series, time));
      }
    }
    return points;
  }

  private static Delivery sent(MetricPipelineClient client, List<MetricPoint> points) {
    return client.send("acme", points).await().atMost(Duration.ofSeconds(10));
  }

  @Test
  void everyPointOfAMetricGoesToTheShardThatOwnsItAndEachStreamDefinesItsRefs() {
    MetricPipelineClient client = shardedClient();
    assertThat(client.shards()).isEqualTo(2);

    for (int step = 0; step < 3; step++) {
      assertThat(sent(client, export(20, T0 + step * SECOND)).rejected()).isZero();
    }

    int stored = 0;
    for (int shard = 0; shard < 2; shard++) {
      Map<ShardFake.Sample, Integer> commits = shards.get(shard).commits();
      assertThat(commits).as("shard %d got points", shard).isNotEmpty();
      for (ShardFake.Sample sample : commits.keySet()) {
        assertThat(SeriesShards.owner("acme", sample.metric(), 2)).isEqualTo(shard);
      }
      assertThat(commits.values()).containsOnly(1);
      assertThat(shards.get(shard).problems()).isEmpty();
      stored += commits.size();
    }
    assertThat(stored).isEqualTo(3 * 20 * 3);
    assertThat(shards.get(2).commits()).isEmpty();
  }

  @Test
  void pointsSentWholeAreRoutedByTheirMetricToo() {
    MetricPipelineClient client =
        shardedClient(Map.of("sextant.ingest.pipeline.series-dictionary-size", "0"));

    assertThat(sent(client, export(20, T0)).rejected()).isZero();

    int stored = 0;
    for (int shard = 0; shard < 2; shard++) {
      for (ShardFake.Sample sample : shards.get(shard).commits().keySet()) {
        assertThat(SeriesShards.owner("acme", sample.metric(), 2)).isEqualTo(shard);
      }
      stored += shards.get(shard).commits().size();
    }
    assertThat(stored).isEqualTo(20 * 3);
    assertThat(shards.get(0).commits()).isNotEmpty();
    assertThat(shards.get(1).commits()).isNotEmpty();
  }

  @Test
  void aSplitExportIsAnsweredOnlyOnceEveryShardAcknowledged() {
    MetricPipelineClient client = shardedClient();
    shards.get(1).hold(true);

    CompletableFuture<Delivery> answer =
        client.send("acme", export(20, T0)).subscribeAsCompletionStage();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !shards.get(0).commits().isEmpty() && shards.get(1).held() > 0);
    assertThat(answer).as("answered with a shard still holding its batch").isNotDone();
    assertThat(shards.get(1).commits()).isEmpty();

    shards.get(1).release();
    assertThat(answer).succeedsWithin(Duration.ofSeconds(10));
    assertThat(shards.get(0).commits().size() + shards.get(1).commits().size()).isEqualTo(20 * 3);
  }

  @Test
  void aNotOwnerAnswerFailsTheExportRetryablyAndItsRetryLandsOnceOnTheNewOwner()
      throws IOException {
    MetricPipelineClient client = shardedClient();
    List<MetricPoint> export = export(30, T0);
    List<String> moved = new ArrayList<>();
    for (int metric = 0; metric < 30; metric++) {
      if (SeriesShards.owner("acme", "metric_" + metric, 3) == 2) {
        moved.add("metric_" + metric);
      }
    }
    assertThat(moved).as("metrics that move to the third shard").isNotEmpty();
    // Define every series on the streams to shards 0 and 1 first.
    sent(client, export(30, T0 - SECOND));

    // The aggregators scale to 3 and see it before this ingest replica does.
    shards.forEach(shard -> shard.count(3));
    assertThatThrownBy(() -> sent(client, export))
        .isInstanceOfSatisfying(
            RejectedRequestException.class,
            e -> assertThat(e.kind()).isEqualTo(Failures.Kind.UNAVAILABLE))
        .hasMessageContaining("not_owner: fake shard");
    assertThat(shards.get(0).notOwner() + shards.get(1).notOwner()).isPositive();

    Files.writeString(countFile, "3");
    assertThat(client.refreshShardCount()).isEqualTo(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> client.status().state() == LinkState.READY);
    assertThat(client.shards()).isEqualTo(3);

    assertThat(sent(client, export).rejected()).isZero();

    Map<ShardFake.Sample, Integer> atT0 = new HashMap<>();
    for (int shard = 0; shard < 3; shard++) {
      assertThat(shards.get(shard).problems()).as("refs defined on every stream").isEmpty();
      for (Map.Entry<ShardFake.Sample, Integer> commit : shards.get(shard).commits().entrySet()) {
        ShardFake.Sample sample = commit.getKey();
        if (sample.time() != T0) {
          continue;
        }
        assertThat(SeriesShards.owner("acme", sample.metric(), 3)).isEqualTo(shard);
        assertThat(atT0.put(sample, commit.getValue())).isNull();
      }
    }
    assertThat(atT0).hasSize(30 * 3);
    for (Map.Entry<ShardFake.Sample, Integer> commit : atT0.entrySet()) {
      if (moved.contains(commit.getKey().metric())) {
        assertThat(commit.getValue()).as("refused, then committed once on retry").isEqualTo(1);
      }
    }
  }

  @Test
  void withOneShardEverythingGoesToTheOneAggregatorAsBefore() {
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(shards.get(0).target()).usePlaintext().build();
    try {
      shards.get(0).count(1);
      MetricPipelineClient client =
          started(
              new MetricPipelineClient(
                  channel, vertx, config(Map.of()), Optional.empty(), registry()));

      assertThat(sent(client, export(20, T0)).rejected()).isZero();

      assertThat(client.shards()).isEqualTo(1);
      assertThat(shards.get(0).commits()).hasSize(20 * 3);
      assertThat(shards.get(1).commits()).isEmpty();
    } finally {
      clients.forEach(MetricPipelineClient::stop);
      clients.clear();
      channel.shutdownNow();
    }
  }

  @Test
  void countsTheTargetsCannotReachFailAtStartupAndAreRefusedLater() throws IOException {
    assertThatThrownBy(
            () ->
                new MetricPipelineClient(
                    null,
                    vertx,
                    config(Map.of("sextant.ingest.pipeline.shards.count", "2")),
                    Optional.empty(),
                    registry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "2 aggregator shards need sextant.ingest.pipeline.shards.targets (one host:port per"
                + " shard, or one with {shard})");
    assertThatThrownBy(
            () ->
                new MetricPipelineClient(
                    null,
                    vertx,
                    config(Map.of("sextant.ingest.pipeline.shards.count", "0")),
                    Optional.empty(),
                    registry()))
        .hasMessage(
            "sextant.ingest.pipeline.shards.count = 0: the shard count must be within 1..1024");

    MetricPipelineClient client = shardedClient();
    Files.writeString(countFile, "4");
    assertThat(client.refreshShardCount()).as("only three targets: the routing stays").isEqualTo(2);
    Files.writeString(countFile, "-3");
    assertThat(client.refreshShardCount()).isEqualTo(2);
    assertThat(sent(client, export(5, T0)).rejected()).isZero();
  }

  @Test
  void aTargetPatternNamesEachShard() {
    ShardTargets targets =
        new ShardTargets(List.of("sextant-aggregator-{shard}.sextant-aggregator:9180"), null);

    assertThat(targets.problem(5)).isNull();
    assertThat(targets.peer(3))
        .isEqualTo("aggregator shard 3 (sextant-aggregator-3.sextant-aggregator:9180)");
    assertThatThrownBy(() -> new ShardTargets(List.of("a:1", "b-{shard}:1"), null))
        .hasMessageStartingWith(
            "sextant.ingest.pipeline.shards.targets is either one entry with {shard}");
  }
}
