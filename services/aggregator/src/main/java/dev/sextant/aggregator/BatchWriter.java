package dev.sextant.aggregator;

import dev.sextant.model.MetricWrite;
import dev.sextant.model.Tenants;
import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.AckStatus;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.service.auth.Principal;
import dev.sextant.service.errors.Failures;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Stores one batch and says how it went: checks the batch, converts its points, writes them in one
 * store call and answers only once that call completed, that is once the points are committed
 * (DESIGN §2.2). Never fails: every outcome, a store failure or a bug included, becomes an {@link
 * Ack}, so one bad batch cannot end the stream it came on.
 *
 * <p>A singleton, created with the gRPC service at startup, so a store that cannot open fails the
 * service at startup rather than its first stream.
 */
@Singleton
class BatchWriter {
  private static final Logger LOG = Logger.getLogger(BatchWriter.class);

  private final StorageComponent storage;
  private final AggregatorConfig config;
  private final PipelineMetrics metrics;
  private final PointConverter converter = new PointConverter();

  @Inject
  BatchWriter(StorageComponent storage, AggregatorConfig config, PipelineMetrics metrics) {
    this.storage = storage;
    this.config = config;
    this.metrics = metrics;
  }

  Uni<Ack> write(Principal principal, WriteRequest request) {
    return Uni.createFrom()
        .deferred(() -> checkedWrite(principal, request))
        .onFailure()
        .recoverWithItem(
            bug -> {
              LOG.errorf(bug, "metric batch %d failed unexpectedly", request.getBatchId());
              return rejected(request, BatchRejection.STORE_FAILED, Failures.messageOf(bug));
            });
  }

  private Uni<Ack> checkedWrite(Principal principal, WriteRequest request) {
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
    List<MetricWrite> writes = new ArrayList<>(request.getPointsCount());
    RejectionSummary rejected = new RejectionSummary();
    for (MetricPoint point : request.getPointsList()) {
      switch (converter.convert(tenant, point)) {
        case PointConverter.Converted converted -> writes.add(converted.write());
        case PointConverter.Rejected refused -> rejected.add(refused.reason(), refused.message());
      }
    }
    if (writes.isEmpty()) {
      return Uni.createFrom().item(committed(request, 0, rejected));
    }
    return Uni.createFrom()
        .deferred(() -> storage.metrics().write(writes))
        .ifNoItem()
        .after(config.writeTimeout())
        .failWith(
            () ->
                new StorageException(
                    StorageException.Code.UNAVAILABLE,
                    "the store did not commit within " + config.writeTimeout()))
        .map(ignored -> committed(request, writes.size(), rejected))
        .onFailure()
        .recoverWithItem(failure -> storeFailed(request, failure));
  }

  private Ack committed(WriteRequest request, int committedPoints, RejectionSummary rejected) {
    metrics.batchCommitted(committedPoints, rejected);
    return Ack.newBuilder()
        .setBatchId(request.getBatchId())
        .setStatus(AckStatus.ACK_STATUS_COMMITTED)
        .setRejectedPoints(rejected.total())
        .setErrorMessage(rejected.message())
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
        .setStatus(
            reason.retryable() ? AckStatus.ACK_STATUS_RETRYABLE : AckStatus.ACK_STATUS_INVALID)
        .setRejectedPoints(request.getPointsCount())
        .setErrorMessage(reason.tag() + ": " + message)
        .build();
  }
}
