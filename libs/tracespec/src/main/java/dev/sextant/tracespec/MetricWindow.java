package dev.sextant.tracespec;

import java.time.Duration;

/**
 * Which samples a metric expectation reads, relative to the trace's time span {@code [start, end]}
 * (first span start, last span end): the value is the last sample in {@code [start, end + after]},
 * since SDKs export metrics periodically and so after the spans they count; the baseline of a delta
 * is the last sample in {@code [start - lookback, start)}, and 0 when there is none (a series born
 * during the run counts from zero).
 */
public record MetricWindow(long lookbackNanos, long afterNanos) {
  /** Longest lookback a spec may ask for: a check reads every sample of every series in it. */
  public static final long MAX_LOOKBACK_NANOS = Duration.ofHours(1).toNanos();

  /** Longest time after the trace a spec may ask for. */
  public static final long MAX_AFTER_NANOS = Duration.ofMinutes(10).toNanos();

  /** One hour back (an SDK exports at least once a minute), one minute after. */
  public static final MetricWindow DEFAULT =
      new MetricWindow(MAX_LOOKBACK_NANOS, Duration.ofMinutes(1).toNanos());

  public MetricWindow {
    if (lookbackNanos < 0 || lookbackNanos > MAX_LOOKBACK_NANOS) {
      throw new IllegalArgumentException("lookback must be within 0..1h");
    }
    if (afterNanos < 0 || afterNanos > MAX_AFTER_NANOS) {
      throw new IllegalArgumentException("after must be within 0..10m");
    }
  }
}
