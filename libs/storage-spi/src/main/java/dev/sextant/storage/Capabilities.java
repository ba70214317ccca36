package dev.sextant.storage;

/**
 * What a backend declares about itself, so services respect it (DESIGN §2.8).
 *
 * @param kind the backend's configuration name ({@code sqlite}, {@code memory}, ...)
 * @param persistent whether committed data survives a restart
 * @param safeIngestRecordsPerSecond the record rate the backend takes without falling behind;
 *     ingest throttles to it
 */
public record Capabilities(String kind, boolean persistent, long safeIngestRecordsPerSecond) {}
