package dev.sextant.ingest.pipeline;

import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.concurrent.CompletableFuture;

/** A batch waiting for credit or for its ack, and the export that waits for its outcome. */
final class PendingBatch {
  private final long id;

  /** The points until they go on the stream; let go then, as the ack may take a while. */
  WriteRequest request;

  final CompletableFuture<BatchOutcome> outcome = new CompletableFuture<>();
  long timerId = -1;

  PendingBatch(WriteRequest request) {
    this.id = request.getBatchId();
    this.request = request;
  }

  long id() {
    return id;
  }
}
