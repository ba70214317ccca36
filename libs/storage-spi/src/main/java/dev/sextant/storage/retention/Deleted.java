package dev.sextant.storage.retention;

/**
 * What one {@link RetentionStore#deleteBefore} call removed.
 *
 * @param rows rows (spans, records, samples, rollup windows) removed
 * @param bytes their stored size as the backend measures it ({@link RetentionStore#histogram})
 * @param more whether rows before the cutoff are left (the call stopped at its row budget); call
 *     again to continue
 * @param cutoffUnixNanos the cutoff applied: the one asked for, or earlier for raw metric samples
 *     whose rollups are not complete yet ({@link
 *     dev.sextant.storage.MetricStore#rollupsCompleteBefore})
 */
public record Deleted(long rows, long bytes, boolean more, long cutoffUnixNanos) {}
