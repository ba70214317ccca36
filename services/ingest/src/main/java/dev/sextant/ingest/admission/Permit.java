package dev.sextant.ingest.admission;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Records admitted into processing; released exactly once when the request is answered. */
public final class Permit {
  private final AtomicLong inFlight;
  private final long records;
  private final AtomicBoolean released = new AtomicBoolean();

  Permit(AtomicLong inFlight, long records) {
    this.inFlight = inFlight;
    this.records = records;
  }

  public void release() {
    if (released.compareAndSet(false, true)) {
      inFlight.addAndGet(-records);
    }
  }
}
