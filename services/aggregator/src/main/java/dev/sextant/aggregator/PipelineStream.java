package dev.sextant.aggregator;

import dev.sextant.protocol.pipeline.v1.Ack;
import dev.sextant.protocol.pipeline.v1.Credit;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.protocol.pipeline.v1.WriteResponse;
import dev.sextant.service.auth.Principal;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One metric pipeline stream, with credit-based flow control (DESIGN §2.3).
 *
 * <p>The stream opens with one {@link Credit} of {@code window} batches; each {@link Ack} gives its
 * slot back, so the sender never has more than {@code window} batches unacknowledged. The gRPC
 * server buffers incoming messages without limit whatever the demand, so it is the credit, not
 * reactive demand, that bounds memory: the buffer below holds at most {@code window} batches, and
 * up to {@code window} batches are written concurrently. A sender that exceeds its credit, or
 * reuses a batch id that is still unacknowledged (its acks would be ambiguous), breaks the protocol
 * and the stream fails with {@code RESOURCE_EXHAUSTED} or {@code INVALID_ARGUMENT}.
 *
 * <p>A slot is released before its ack is sent, so when a batch arrives the aggregator has counted
 * at least every ack the sender has seen, and a sender within its credit is never refused.
 */
final class PipelineStream {
  private final Principal principal;
  private final int window;
  private final BatchWriter writer;
  private final PipelineMetrics metrics;
  private final SeriesRefs seriesRefs;

  /** Batch ids admitted and not yet acknowledged: the stream's used credit. */
  private final Set<Long> unacknowledged = ConcurrentHashMap.newKeySet();

  PipelineStream(Principal principal, int window, BatchWriter writer, PipelineMetrics metrics) {
    this.principal = principal;
    this.window = window;
    this.writer = writer;
    this.metrics = metrics;
    this.seriesRefs = new SeriesRefs();
  }

  /** A batch and the series of its points that refer to the stream's dictionary. */
  private record Batch(WriteRequest request, PointConverter.SeriesResult[] series) {}

  Multi<WriteResponse> run(Multi<WriteRequest> requests) {
    Multi<WriteResponse> acks =
        requests
            .onItem()
            .invoke(this::admit)
            // In stream order, before batches are written concurrently: refs are defined in order.
            .onItem()
            .transform(request -> new Batch(request, seriesRefs.resolve(request)))
            .onOverflow()
            .buffer(window)
            .onItem()
            .transformToUni(this::process)
            .merge(window);
    WriteResponse credit =
        WriteResponse.newBuilder().setCredit(Credit.newBuilder().setBatches(window)).build();
    return Multi.createBy()
        .concatenating()
        .streams(Multi.createFrom().item(credit), acks)
        .onSubscription()
        .invoke(metrics::streamOpened)
        .onTermination()
        .invoke(this::close);
  }

  /** Runs as each batch arrives, before it is buffered. */
  private void admit(WriteRequest request) {
    // Only this method adds, and gRPC delivers one message at a time, so size() cannot race
    // with another admit; a concurrent release only makes room.
    if (unacknowledged.size() >= window) {
      metrics.violation(PipelineMetrics.Violation.CREDIT_EXCEEDED);
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              "batch "
                  + Long.toUnsignedString(request.getBatchId())
                  + " exceeds the credit of "
                  + window
                  + " unacknowledged batches")
          .asRuntimeException();
    }
    if (!unacknowledged.add(request.getBatchId())) {
      metrics.violation(PipelineMetrics.Violation.DUPLICATE_BATCH_ID);
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "batch id "
                  + Long.toUnsignedString(request.getBatchId())
                  + " is already unacknowledged on this stream")
          .asRuntimeException();
    }
    metrics.batchAdmitted();
  }

  private Uni<WriteResponse> process(Batch batch) {
    WriteRequest request = batch.request();
    return writer
        .write(principal, request, batch.series())
        // Before the ack goes out (see the class comment); also on cancellation.
        .onTermination()
        .invoke(() -> release(request.getBatchId()))
        .map(PipelineStream::response);
  }

  private static WriteResponse response(Ack ack) {
    return WriteResponse.newBuilder().setAck(ack).build();
  }

  private void release(long batchId) {
    if (unacknowledged.remove(batchId)) {
      metrics.batchReleased();
    }
  }

  /**
   * On completion, failure or cancellation: batches still buffered or being written will never be
   * acknowledged on this stream; give their slots back to the in-flight gauge.
   */
  private void close() {
    for (Long batchId : unacknowledged) {
      release(batchId);
    }
    metrics.streamClosed();
  }
}
