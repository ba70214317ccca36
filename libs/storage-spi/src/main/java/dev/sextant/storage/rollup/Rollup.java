package dev.sextant.storage.rollup;

/**
 * What one window of one series comes to: how many samples it holds and, by the kind of the series'
 * points, their sums, extremes and reset-adjusted increase. {@link Rollups} defines every field;
 * backends store or compute them but never define them again.
 */
public sealed interface Rollup
    permits NumberRollup, HistogramRollup, ExponentialHistogramRollup, SummaryRollup {

  /** The start of the window, aligned to its {@link RollupTier}. */
  long windowStartUnixNanos();

  /** How many samples the window holds (stale markers are not samples). */
  long count();
}
