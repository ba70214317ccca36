package dev.sextant.storage;

/**
 * What a backend declares about itself, so services respect it (DESIGN §2.8).
 *
 * @param kind the backend's configuration name ({@code sqlite}, {@code memory}, ...)
 * @param persistent whether committed data survives a restart
 * @param safeIngestRecordsPerSecond the record rate the backend takes without falling behind;
 *     ingest throttles to it
 * @param metricVisibilityLagMillis how long after a metric write completed its points may take to
 *     become readable (0: at once)
 */
public record Capabilities(
    String kind,
    boolean persistent,
    long safeIngestRecordsPerSecond,
    long metricVisibilityLagMillis) {

  /** A backend whose metric points are readable as soon as their write completes. */
  public Capabilities(String kind, boolean persistent, long safeIngestRecordsPerSecond) {
    this(kind, persistent, safeIngestRecordsPerSecond, 0);
  }
}
