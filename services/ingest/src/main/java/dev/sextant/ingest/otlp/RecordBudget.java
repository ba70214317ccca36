package dev.sextant.ingest.otlp;

/** The attribute bytes one record may still take ({@code max-attribute-bytes-per-record}). */
final class RecordBudget {
  private long remaining;

  RecordBudget(long bytes) {
    this.remaining = bytes;
  }

  /** Takes {@code bytes} if they fit. */
  boolean tryTake(long bytes) {
    if (bytes > remaining) {
      return false;
    }
    remaining -= bytes;
    return true;
  }
}
