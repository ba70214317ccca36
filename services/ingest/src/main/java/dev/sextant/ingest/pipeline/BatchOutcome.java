package dev.sextant.ingest.pipeline;

import dev.sextant.protocol.pipeline.v1.Ack;

/** What became of one batch: the aggregator's ack, or a local failure before it came. */
record BatchOutcome(Status status, int rejectedPoints, String message) {

  enum Status {
    /** Committed; {@code rejectedPoints} were refused for good. */
    COMMITTED,
    /** The aggregator refused the batch as invalid. */
    INVALID,
    /** The aggregator could not commit now. */
    RETRYABLE,
    /** The aggregator shard does not own a metric of the batch (now); routed again on retry. */
    NOT_OWNER,
    /** Not sent: the queue of batches waiting for credits was full. */
    OVERLOADED,
    /** Not acknowledged: no stream, the stream broke, or the ack did not come in time. */
    UNAVAILABLE
  }

  static BatchOutcome of(Ack ack) {
    String message = ack.getErrorMessage();
    return switch (ack.getStatus()) {
      case ACK_STATUS_COMMITTED ->
          new BatchOutcome(
              Status.COMMITTED,
              (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(ack.getRejectedPoints())),
              message);
      case ACK_STATUS_INVALID -> new BatchOutcome(Status.INVALID, 0, message);
      case ACK_STATUS_RETRYABLE -> new BatchOutcome(Status.RETRYABLE, 0, message);
      case ACK_STATUS_NOT_OWNER -> new BatchOutcome(Status.NOT_OWNER, 0, message);
      // An ack ingest cannot read is no proof of a commit; the retry is safe (idempotent writes).
      case ACK_STATUS_UNSPECIFIED, UNRECOGNIZED ->
          new BatchOutcome(
              Status.UNAVAILABLE, 0, "aggregator sent an ack without a known status: " + message);
    };
  }

  static BatchOutcome unavailable(String message) {
    return new BatchOutcome(Status.UNAVAILABLE, 0, message);
  }

  static BatchOutcome overloaded(String message) {
    return new BatchOutcome(Status.OVERLOADED, 0, message);
  }
}
