package dev.sextant.aggregator;

import dev.sextant.aggregator.guardrails.GuardrailHit;
import dev.sextant.aggregator.guardrails.Guardrails;
import dev.sextant.aggregator.metadata.MetadataGuard;
import dev.sextant.aggregator.sharding.ShardAssignment;
import dev.sextant.aggregator.sharding.ShardGate;
import dev.sextant.aggregator.temporality.DeltaToCumulative;
import dev.sextant.aggregator.temporality.DeltaToCumulative.Delta;
import dev.sextant.aggregator.temporality.Increments;
import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Tenants;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.service.auth.Principal;
import dev.sextant.service.errors.Failures;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.jboss.logging.Logger;

/**
 * Stores one batch and says how it went. Each point is checked and converted ({@link
 * PointConverter}), held to its metric name's meaning ({@link MetadataGuard}), routed by the
 * cardinality guardrails ({@link Guardrails}), and, when it is a delta or is re-aggregated, added
 * to its series' running sum ({@link DeltaToCumulative}); then the batch's points are written in
 * one store call, and the answer comes only once that call completed, that is once the points are
 * durable (DESIGN §2.2). Never fails: every outcome, a store failure or a bug included, becomes an
 * {@link Ack}, so one bad batch cannot end the stream it came on.
 *
 * <p>When several aggregators share the metrics (ADR 0014), a batch is written only if this shard
 * owns every metric in it now ({@link ShardGate}); otherwise nothing of it is stored and it is
 * answered {@code NOT_OWNER}, which the sender retries, routed by the count it reads. When the
 * shard count changes, the running sums go ({@link #reshard}): the store has what the other shards
 * wrote.
 *
 * <p>A singleton, created with the gRPC service at startup: it makes this process the metric writer
 * ({@code startWriting}), so a store that cannot open fails the service at startup rather than its
 * first stream.
 */
@Singleton
class BatchWriter {
  private static final Logger LOG = Logger.getLogger(BatchWriter.class);

  private final StorageComponent storage;
  private final AggregatorConfig config;
  private final PipelineMetrics metrics;
  private final PointConverter converter = new PointConverter();
  private final MetadataGuard metadata;
  private final Guardrails guardrails;
  private final DeltaToCumulative deltas;
  private final Increments increments;
  private final ShardGate gate;

  /** Completes once the store took this process as the metric writer; every write waits for it. */
  private final Uni<Void> writing;

  @Inject
  BatchWriter(
      StorageComponent storage,
      AggregatorConfig config,
      PipelineMetrics metrics,
      ShardAssignment shards) {
    this(storage, config, metrics, shards.gate());
    shards.onChange(this::forgetRunningSums);
  }

  /** The only shard: writes every metric. */
  BatchWriter(StorageComponent storage, AggregatorConfig config, PipelineMetrics metrics) {
    this(storage, config, metrics, new ShardGate(0, 1, 0, System::nanoTime));
  }

  BatchWriter(
      StorageComponent storage, AggregatorConfig config, PipelineMetrics metrics, ShardGate gate) {
    this.storage = storage;
    this.gate = gate;
    this.config = config;
    this.metrics = metrics;
    this.metadata = new MetadataGuard(storage.metrics());
    this.guardrails = new Guardrails(config.guardrails().settings());
    this.deltas =
        new DeltaToCumulative(
            config.delta().maxSeries(),
            config.delta().lateTolerance().toNanos(),
            config.delta().idleTimeout().toNanos(),
            System::nanoTime);
    // A shard that starts beside others waits one grace period (the gate), and so do increments:
    // another shard may have counted a source that started before the wait ended.
    this.increments =
        new Increments(
            config.delta().maxSeries(),
            nowUnixNanos() + (gate.count() > 1 ? gate.graceNanos() : 0));
    metrics.watch(guardrails, deltas);
    // Started now (the store recovers what an earlier writer left), awaited by each write: this
    // constructor may run on an event loop, which must not block.
    this.writing = storage.metrics().startWriting().memoize().indefinitely();
    writing
        .subscribe()
        .with(
            ignored -> {},
            failure -> LOG.error("the store refused us as the metric writer", failure));
  }

  Uni<Ack> write(Principal principal, WriteRequest request) {
    return write(principal, request, null);
  }

  /**
   * Takes a new shard count; when it changed, drops the running sums and increments, as another
   * shard may write their series from now on, and this one reads them from the store when they come
   * back.
   */
  void reshard(int count) {
    if (gate.reconfigure(count)) {
      forgetRunningSums();
    }
  }

  private void forgetRunningSums() {
    deltas.forgetAll();
    increments.forgetAll(nowUnixNanos() + gate.graceNanos());
    LOG.infof(
        "shard %d now one of %d: running sums dropped, read again from the store",
        gate.ordinal(), gate.count());
  }

  private static long nowUnixNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  /**
   * Stores a batch; {@code series} holds, per point, the series its stream's dictionary resolved
   * ({@link SeriesRefs}), null where the point carries its own (or null altogether).
   */
  Uni<Ack> write(Principal principal, WriteRequest request, PointConverter.SeriesResult[] series) {
    // Off the gRPC event loop: converting and encoding a batch of thousands of points is
    // CPU work that would stall every stream on that loop.
    return writing
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .chain(() -> checkedWrite(principal, request, series))
        .onFailure()
        .recoverWithItem(
            failure -> {
              if (Failures.retryable(Failures.kindOf(failure))) {
                // A store read on the way (metadata, latest points) was overloaded or down.
                return storeFailed(request, failure);
              }
              LOG.errorf(failure, "metric batch %d failed unexpectedly", request.getBatchId());
              return rejected(request, BatchRejection.STORE_FAILED, Failures.messageOf(failure));
            });
  }

  private Uni<Ack> checkedWrite(
      Principal principal, WriteRequest request, PointConverter.SeriesResult[] series) {
    metrics.batchReceived(request.getPointsCount());
    String tenant = request.getTenant();
    try {
      Tenants.require(tenant);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom()
          .item(rejected(request, BatchRejection.INVALID_TENANT, e.getMessage()));
    }
    if (!principal.mayActFor(tenant)) {
      return Uni.createFrom()
          .item(
              rejected(
                  request,
                  BatchRejection.FORBIDDEN_TENANT,
                  "this API key may not write for tenant '" + tenant + "'"));
    }
    if (request.getPointsCount() > config.maxPointsPerBatch()) {
      return Uni.createFrom()
          .item(
              rejected(
                  request,
                  BatchRejection.TOO_LARGE,
                  request.getPointsCount()
                      + " points exceed sextant.aggregator.max-points-per-batch="
                      + config.maxPointsPerBatch()));
    }
    Ack notOwned = refuseUnowned(request, tenant, series);
    if (notOwned != null) {
      return Uni.createFrom().item(notOwned);
    }
    return metadata.load(tenant).chain(() -> convertAndWrite(request, tenant, series));
  }

  /**
   * Null when this shard may write every metric of the batch now, else the whole batch's refusal:
   * nothing of it is written, so its retry on the right shard counts every point once. The gate is
   * asked once per run of points of one metric (a batch is grouped by metric).
   */
  private Ack refuseUnowned(
      WriteRequest request, String tenant, PointConverter.SeriesResult[] series) {
    if (gate.ownsEverything()) {
      return null;
    }
    String previous = null;
    for (int i = 0, n = request.getPointsCount(); i < n; i++) {
      String metric =
          series != null && series[i] != null
              ? series[i] instanceof PointConverter.Series valid ? valid.series().name() : null
              : request.getPoints(i).getName();
      if (metric == null || metric.isEmpty() || metric.equals(previous)) {
        continue; // a point without a valid name is refused on its own, later
      }
      previous = metric;
      switch (gate.admit(tenant, metric)) {
        case OWNED -> {}
        case NOT_OWNER -> {
          return notOwner(
              request,
              BatchRejection.NOT_OWNER,
              "metric '" + metric + "' of tenant '" + tenant + "' belongs to another shard");
        }
        case HANDING_OVER -> {
          return notOwner(
              request,
              BatchRejection.HANDING_OVER,
              "metric '"
                  + metric
                  + "' of tenant '"
                  + tenant
                  + "' comes to this shard after a shard count change; its old owner may still"
                  + " write it");
        }
      }
    }
    return null;
  }

  private Ack notOwner(WriteRequest request, BatchRejection reason, String message) {
    return rejected(
            request,
            reason,
            message + " (this is shard " + gate.ordinal() + " of " + gate.count() + "); retry")
        .toBuilder()
        .setShardCount(gate.count())
        .build();
  }

  /** What one batch becomes before it is written. */
  private static final class Prepared {
    final Tally<PointRejection> rejected =
        new Tally<>(PointRejection.class, "rejected", PointRejection::tag);
    final Tally<GuardrailHit> rerouted =
        new Tally<>(GuardrailHit.class, "re-aggregated by guardrails", GuardrailHit::tag);
    final List<MetricMetadata> createdMetadata = new ArrayList<>();
    final List<MetricWrite> writes = new ArrayList<>();
    final List<Delta> deltas = new ArrayList<>();
  }

  private Uni<Ack> convertAndWrite(
      WriteRequest request, String tenant, PointConverter.SeriesResult[] series) {
    Prepared batch = new Prepared();
    long now = System.nanoTime();
    for (int i = 0; i < request.getPointsCount(); i++) {
      dev.sextant.protocol.pipeline.v1.MetricPoint wire = request.getPoints(i);
      PointConverter.Result result =
          series != null && series[i] != null
              ? converter.convert(series[i], wire)
              : converter.convert(tenant, wire);
      switch (result) {
        case PointConverter.Rejected refused ->
            batch.rejected.add(refused.reason(), refused.message());
        case PointConverter.Converted point -> route(point, now, request.getAdditive(), batch);
      }
    }
    return deltas.run(
        batch.deltas,
        (t, ids) -> storage.metrics().latestPoints(t, ids),
        outcome -> {
          for (Delta late : outcome.outOfOrder()) {
            batch.rejected.add(
                PointRejection.OUT_OF_ORDER,
                "metric '"
                    + late.series().name()
                    + "': delta point older than its series' latest by more than "
                    + config.delta().lateTolerance());
          }
          metrics.deltaDuplicates(outcome.duplicates());
          batch.writes.addAll(outcome.writes());
          return store(request, batch);
        });
  }

  /** Sends a valid point where it belongs: its own series, or a re-aggregated one. */
  private void route(PointConverter.Converted point, long now, boolean additive, Prepared batch) {
    MetadataGuard.Disagreement disagreement =
        metadata.check(point.series(), point.received(), batch.createdMetadata);
    if (disagreement != null) {
      batch.rejected.add(
          switch (disagreement.conflict()) {
            case TYPE -> PointRejection.TYPE_CONFLICT;
            case TEMPORALITY -> PointRejection.TEMPORALITY_CONFLICT;
            case UNIT -> PointRejection.UNIT_CONFLICT;
          },
          disagreement.message());
      return;
    }
    Guardrails.Route route =
        guardrails.route(point.series(), point.guardrails(), now, batch.rerouted);
    if (!route.reaggregated()) {
      if (point.isDelta()) {
        batch.deltas.add(new Delta(route.series(), point.point(), additive));
      } else {
        batch.writes.add(new MetricWrite(route.series(), point.point()));
      }
      return;
    }
    switch (point.series().type()) {
      // The target of values that cannot be added keeps the latest value it was sent.
      case GAUGE, UNKNOWN, SUMMARY ->
          batch.writes.add(new MetricWrite(route.series(), point.point()));
      case COUNTER, UP_DOWN_COUNTER, HISTOGRAM, EXPONENTIAL_HISTOGRAM -> {
        MetricPoint increase =
            point.isDelta()
                ? point.point()
                : increments.increase(
                    new Increments.Source(point.series().tenant(), point.series().id()),
                    point.point());
        if (increase != null) {
          batch.deltas.add(new Delta(route.series(), increase, true));
        }
      }
    }
  }

  private Uni<Ack> store(WriteRequest request, Prepared batch) {
    if (batch.writes.isEmpty()) {
      return metadata.write(batch.createdMetadata).map(ignored -> committed(request, 0, batch));
    }
    return Uni.combine()
        .all()
        .unis(
            Uni.createFrom().deferred(() -> storage.metrics().write(batch.writes)),
            metadata.write(batch.createdMetadata))
        .discardItems()
        .ifNoItem()
        .after(config.writeTimeout())
        .failWith(
            () ->
                new StorageException(
                    StorageException.Code.UNAVAILABLE,
                    "the store did not commit within " + config.writeTimeout()))
        .onFailure()
        .invoke(failure -> metadata.forget(batch.createdMetadata))
        .map(ignored -> committed(request, batch.writes.size(), batch))
        .onFailure()
        .recoverWithItem(failure -> storeFailed(request, failure));
  }

  private Ack committed(WriteRequest request, int committedPoints, Prepared batch) {
    metrics.batchCommitted(committedPoints, batch.rejected, batch.rerouted);
    StringJoiner message = new StringJoiner("; ");
    message.setEmptyValue("");
    for (String part : List.of(batch.rejected.message(), batch.rerouted.message())) {
      if (!part.isEmpty()) {
        message.add(part);
      }
    }
    return Ack.newBuilder()
        .setBatchId(request.getBatchId())
        .setStatus(AckStatus.ACK_STATUS_COMMITTED)
        .setRejectedPoints(batch.rejected.total())
        .setErrorMessage(message.toString())
        .build();
  }

  private Ack storeFailed(WriteRequest request, Throwable failure) {
    boolean retryable = Failures.retryable(Failures.kindOf(failure));
    if (retryable) {
      LOG.warnf("metric batch %d not stored, retryable: %s", request.getBatchId(), failure);
    } else {
      LOG.errorf(failure, "metric batch %d not stored", request.getBatchId());
    }
    return rejected(
        request,
        retryable ? BatchRejection.STORE_UNAVAILABLE : BatchRejection.STORE_FAILED,
        "store: " + Failures.messageOf(failure));
  }

  private Ack rejected(WriteRequest request, BatchRejection reason, String message) {
    metrics.batchRejected(reason, request.getPointsCount());
    return Ack.newBuilder()
        .setBatchId(request.getBatchId())
        .setStatus(reason.status())
        .setRejectedPoints(request.getPointsCount())
        .setErrorMessage(reason.tag() + ": " + message)
        .build();
  }
}
