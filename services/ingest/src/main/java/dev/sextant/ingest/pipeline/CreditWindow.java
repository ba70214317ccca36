package dev.sextant.ingest.pipeline;

/**
 * The aggregator's credits (DESIGN §2.3): it grants batches, each ack frees the slot of its batch,
 * and the sender never has more batches unacknowledged than granted. Back to zero when the stream
 * breaks, until the aggregator grants again. Not thread-safe: the client guards it.
 */
final class CreditWindow {
  private long granted;
  private int inFlight;

  /** Adds credits (a uint32 on the wire). */
  void grant(int batches) {
    granted = Math.min(Integer.MAX_VALUE, granted + Integer.toUnsignedLong(batches));
  }

  boolean hasRoom() {
    return inFlight < granted;
  }

  /** Takes a slot for a batch about to be sent; there must be room. */
  void take() {
    if (!hasRoom()) {
      throw new IllegalStateException("no credit: " + inFlight + " of " + granted + " in flight");
    }
    inFlight++;
  }

  /** Frees the slot of an acknowledged batch. */
  void release() {
    if (inFlight > 0) {
      inFlight--;
    }
  }

  void reset() {
    granted = 0;
    inFlight = 0;
  }

  long available() {
    return Math.max(0, granted - inFlight);
  }

  long granted() {
    return granted;
  }

  int inFlight() {
    return inFlight;
  }
}
