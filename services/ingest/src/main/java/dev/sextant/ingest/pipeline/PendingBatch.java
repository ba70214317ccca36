package dev.sextant.ingest.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A batch waiting for credit or for its ack, and the export that waits for its outcome. */
final class PendingBatch {
  private final long id;
  final String tenant;
  final boolean additive;

  /** The points until they go on the stream; let go then, as the ack may take a while. */
  List<StreamPoint> points;

  final CompletableFuture<BatchOutcome> outcome = new CompletableFuture<>();
  long timerId = -1;

  PendingBatch(long id, String tenant, boolean additive, List<StreamPoint> points) {
    this.id = id;
    this.tenant = tenant;
    this.additive = additive;
    this.points = points;
  }

  long id() {
    return id;
  }
}
