package dev.sextant.ingest.pipeline;

import dev.sextant.ingest.Delivery;
import dev.sextant.ingest.IngestConfig;
import dev.sextant.model.SeriesShards;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.service.sharding.ShardCount;
import io.grpc.Channel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Ingest's side of the metric pipeline: one {@link AggregatorStream} per aggregator shard, and the
 * points of each export routed to the shard that owns their metric ({@link SeriesShards}, ADR
 * 0014). An export is answered once every batch on every shard it went to was acknowledged: success
 * only if all committed. A shard that answers "not owner" (the shards and this replica see a count
 * change at different times) makes the export unavailable, so its client retries, and the retry is
 * routed by the count read by then; what was committed meanwhile is stored once, as samples are
 * keyed by series and time.
 *
 * <p>The shard count is read from configuration, or polled from a file; a change opens streams to
 * new shards and closes those to shards that are gone. With one shard everything goes to one stream
 * as it is, without looking at a point: the hot path is the same as without sharding.
 *
 * <p>The series catalog is shared by the streams; each stream defines on itself the refs it sends
 * (ADR 0015).
 */
@ApplicationScoped
public class MetricPipelineClient {
  private static final Logger LOG = Logger.getLogger(MetricPipelineClient.class);

  private final Vertx vertx;
  private final IngestConfig.Pipeline config;
  private final Optional<String> apiKey;
  private final SeriesCatalog catalog;
  private final ShardCount shardCount;
  private final ShardTargets targets;

  /** One stream per shard, the routing in force; replaced whole when the count changes. */
  private volatile AggregatorStream[] streams;

  private boolean started;
  private boolean stopped;

  @Inject
  public MetricPipelineClient(
      @GrpcClient("aggregator") Channel channel,
      Vertx vertx,
      IngestConfig config,
      MeterRegistry registry) {
    this(
        channel,
        vertx,
        config.pipeline(),
        config.aggregatorApiKey().filter(key -> !key.isBlank()),
        registry);
  }

  /**
   * @param single the channel to the one aggregator when no shard targets are configured
   */
  MetricPipelineClient(
      Channel single,
      Vertx vertx,
      IngestConfig.Pipeline config,
      Optional<String> apiKey,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.apiKey = apiKey;
    this.catalog = new SeriesCatalog(config.seriesDictionarySize());
    IngestConfig.Shards shards = config.shards();
    this.shardCount =
        ShardCount.open(
            shards.countFile().map(Path::of),
            shards.count(),
            "sextant.ingest.pipeline.shards.count");
    this.targets = new ShardTargets(shards.targets().orElse(List.of()), single);
    int count = shardCount.current();
    String problem = targets.problem(count);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    AggregatorStream[] initial = new AggregatorStream[count];
    for (int shard = 0; shard < count; shard++) {
      initial[shard] = newStream(shard);
    }
    this.streams = initial;
    registerGauges(registry);
  }

  void start(@Observes StartupEvent event) {
    start();
  }

  void start() {
    synchronized (this) {
      started = true;
      for (AggregatorStream stream : streams) {
        stream.start();
      }
    }
    shardCount.watch(config.shards().pollInterval(), this::reshard);
  }

  @PreDestroy
  void stop() {
    // First, and outside this client's lock: a poll in progress holds the count's lock and may be
    // waiting for this one (reshard).
    shardCount.close();
    synchronized (this) {
      stopped = true;
      for (AggregatorStream stream : streams) {
        stream.stop("ingest is shutting down");
      }
      targets.close();
    }
  }

  /**
   * Streams the points to the aggregator shards in batches; completes once every batch was
   * acknowledged, with the points the aggregators refused, or fails as overloaded, unavailable or
   * bad input.
   */
  public Uni<Delivery> send(String tenant, List<MetricPoint> points) {
    return send(tenant, points, false);
  }

  /**
   * As {@link #send(String, List)}; {@code additive} marks the points as increments that many
   * sources add to shared series (span-derived metrics), see the pipeline protocol.
   */
  public Uni<Delivery> send(String tenant, List<MetricPoint> points, boolean additive) {
    List<StreamPoint> streamed = new ArrayList<>(points.size());
    for (MetricPoint point : points) {
      streamed.add(catalog.point(tenant, point));
    }
    return sendPoints(tenant, streamed, additive);
  }

  /**
   * As {@link #send(String, List, boolean)}, for points already made for the stream with this
   * client's {@link #catalog()}.
   */
  public Uni<Delivery> sendPoints(String tenant, List<StreamPoint> points, boolean additive) {
    AggregatorStream[] routed = streams;
    List<CompletableFuture<BatchOutcome>> outcomes;
    if (routed.length == 1) {
      outcomes = routed[0].submit(tenant, points, additive);
    } else {
      outcomes = new ArrayList<>();
      List<List<StreamPoint>> byShard = split(tenant, points, routed.length);
      for (int shard = 0; shard < routed.length; shard++) {
        if (!byShard.get(shard).isEmpty()) {
          outcomes.addAll(routed[shard].submit(tenant, byShard.get(shard), additive));
        }
      }
    }
    List<Uni<BatchOutcome>> answers = new ArrayList<>(outcomes.size());
    for (CompletableFuture<BatchOutcome> outcome : outcomes) {
      answers.add(Uni.createFrom().completionStage(outcome));
    }
    return Uni.join().all(answers).andFailFast().map(BatchOutcomes::combine);
  }

  /**
   * The points of each shard, in the order they came. A catalog series knows its shard; a point
   * sent whole (no catalog, or a crafted collision) is hashed once per run of its metric.
   */
  private static List<List<StreamPoint>> split(String tenant, List<StreamPoint> points, int count) {
    List<List<StreamPoint>> byShard = new ArrayList<>(count);
    for (int shard = 0; shard < count; shard++) {
      byShard.add(new ArrayList<>());
    }
    String wholeMetric = null;
    int wholeShard = 0;
    for (int i = 0, n = points.size(); i < n; i++) {
      StreamPoint point = points.get(i);
      int shard;
      if (point.series() != null) {
        shard = point.series().shard(count);
      } else {
        String metric = point.point().getName();
        if (!metric.equals(wholeMetric)) {
          wholeMetric = metric;
          wholeShard = SeriesShards.owner(tenant, metric, count);
        }
        shard = wholeShard;
      }
      byShard.get(shard).add(point);
    }
    return byShard;
  }

  /**
   * Routes by a new shard count: streams to new shards open, streams to shards that are gone close
   * (their batches in flight fail as unavailable, and are retried by their clients). A count the
   * targets cannot reach is refused with a warning, and the routing in force stays.
   */
  synchronized boolean reshard(int count) {
    AggregatorStream[] old = streams;
    if (stopped || count == old.length) {
      return !stopped;
    }
    String problem = targets.problem(count);
    if (problem != null) {
      LOG.warnf("%s; metric points stay routed to %d aggregator shards", problem, old.length);
      return false;
    }
    AggregatorStream[] next = Arrays.copyOf(old, count);
    for (int shard = old.length; shard < count; shard++) {
      next[shard] = newStream(shard);
      if (started) {
        next[shard].start();
      }
    }
    streams = next;
    for (int shard = count; shard < old.length; shard++) {
      old[shard].stop("aggregator shard " + shard + " is gone: the shard count is now " + count);
      targets.release(shard);
    }
    LOG.infof("metric points now routed to %d aggregator shards (were %d)", count, old.length);
    return true;
  }

  /**
   * Reads the shard count file now, as the poller does every poll interval; returns the shards
   * routed to afterwards.
   */
  int refreshShardCount() {
    shardCount.poll();
    return shards();
  }

  /** How many aggregator shards points are routed to now. */
  public int shards() {
    return streams.length;
  }

  /**
   * The streams' state, credits, pending acks and queue, for health and metrics: with several
   * shards, the worst state, the sums, and each shard's last error.
   */
  public LinkStatus status() {
    AggregatorStream[] routed = streams;
    if (routed.length == 1) {
      return routed[0].status();
    }
    LinkState worst = LinkState.READY;
    long credits = 0;
    int pendingAcks = 0;
    int queued = 0;
    StringJoiner errors = new StringJoiner("; ");
    for (int shard = 0; shard < routed.length; shard++) {
      LinkStatus status = routed[shard].status();
      if (status.state().compareTo(worst) < 0) {
        worst = status.state();
      }
      credits += status.credits();
      pendingAcks += status.pendingAcks();
      queued += status.queued();
      if (!status.lastError().isEmpty()) {
        errors.add("shard " + shard + ": " + status.lastError());
      }
    }
    return new LinkStatus(worst, credits, pendingAcks, queued, errors.toString());
  }

  /** The series this client's points are made with: the refs they go by on the streams. */
  public SeriesCatalog catalog() {
    return catalog;
  }

  private AggregatorStream newStream(int shard) {
    return new AggregatorStream(targets.channel(shard), vertx, config, apiKey, targets.peer(shard));
  }

  private void registerGauges(MeterRegistry registry) {
    Gauge.builder("sextant.ingest.pipeline.queue.depth", this, c -> c.status().queued())
        .description("Metric batches waiting for aggregator credits")
        .register(registry);
    Gauge.builder("sextant.ingest.pipeline.credits", this, c -> c.status().credits())
        .description("Batches the aggregator allows in flight")
        .register(registry);
    Gauge.builder("sextant.ingest.pipeline.pending.acks", this, c -> c.status().pendingAcks())
        .description("Metric batches sent and not yet acknowledged")
        .register(registry);
    Gauge.builder(
            "sextant.ingest.pipeline.connected",
            this,
            c -> c.status().state() == LinkState.READY ? 1 : 0)
        .description("1 when the metric stream to the aggregator is up")
        .register(registry);
    Gauge.builder("sextant.ingest.pipeline.shards", this, MetricPipelineClient::shards)
        .description("Aggregator shards metric points are routed to")
        .register(registry);
  }
}
