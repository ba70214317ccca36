package dev.sextant.storage.retention;

/**
 * The rows of a time bucket: {@code [startUnixNanos, startUnixNanos + width)}, aligned to the Unix
 * epoch like rollup windows.
 *
 * @param bytes the stored size of those rows as the backend measures it
 */
public record Bucket(long startUnixNanos, long rows, long bytes) {}
