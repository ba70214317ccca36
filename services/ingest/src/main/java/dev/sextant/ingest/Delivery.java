package dev.sextant.ingest;

/**
 * What the downstream (the store, or the aggregator for metrics) did with the valid records: how
 * many it still refused, and why.
 */
public record Delivery(int rejected, String message) {
  public static final Delivery ALL = new Delivery(0, "");

  public Delivery {
    message = message == null ? "" : message;
  }
}
