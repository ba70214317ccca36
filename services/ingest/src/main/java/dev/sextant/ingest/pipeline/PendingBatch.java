package dev.sextant.ingest.pipeline;

import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.concurrent.CompletableFuture;

/** A batch waiting for credit or for its ack, and the export that waits for its outcome. */
final class PendingBatch {
  final WriteRequest request;
  final CompletableFuture<BatchOutcome> outcome = new CompletableFuture<>();
  long timerId = -1;

  PendingBatch(WriteRequest request) {
    this.request = request;
  }

  long id() {
    return request.getBatchId();
  }
}
