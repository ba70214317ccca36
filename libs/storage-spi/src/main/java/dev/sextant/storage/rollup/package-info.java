/**
 * Rollups: per-window summaries of a series at fixed tiers ({@link
 * dev.sextant.storage.rollup.RollupTier}), one sealed {@link dev.sextant.storage.rollup.Rollup}
 * record per point kind, and {@link dev.sextant.storage.rollup.Rollups}, the one reference
 * computation every backend uses (the in-memory backend on read, SQLite when it compacts), so the
 * math exists once. Sums are {@link dev.sextant.storage.rollup.ExactSum}s: merging one-minute
 * rollups into an hour gives bit for bit what the hour computed from the samples gives.
 */
package dev.sextant.storage.rollup;
