package dev.sextant.promql.storage;

import dev.sextant.storage.query.StepSampling;
import java.util.List;

/**
 * What the engine will do with the selected series, as Prometheus's storage.SelectHints. Times are
 * Unix milliseconds, inclusive. {@code stepMs} is the query step (0 for an instant query), {@code
 * rangeMs} the range of the enclosing range selector (0 for an instant selector), {@code
 * lookbackMs} for an instant selector the lookback delta (0 otherwise: every sample of the range is
 * wanted), {@code function} the enclosing function's name (null when none), {@code grouping} and
 * {@code by} those of the enclosing aggregation (empty and false when none).
 *
 * <p>Unlike Prometheus's hints, these say exactly which samples the engine uses: it reads at step
 * times {@code endMs - k * stepMs}, a range selector every sample within {@code rangeMs} before a
 * step time, an instant selector only the newest sample at or before a step time and no older than
 * {@code lookbackMs}. A querier may leave out the other samples.
 */
public record SelectHints(
    long startMs,
    long endMs,
    long stepMs,
    long rangeMs,
    long lookbackMs,
    String function,
    List<String> grouping,
    boolean by) {
  public SelectHints {
    grouping = List.copyOf(grouping);
  }

  /**
   * The samples the engine uses, as a store's {@link StepSampling}: one stored number point is one
   * sample of one float series, so the step semantics carry over to the store's points as they are.
   */
  public StepSampling sampling() {
    if (lookbackMs > 0) {
      return StepSampling.latest(endMs, stepMs, lookbackMs);
    }
    if (rangeMs > 0) {
      return StepSampling.windows(endMs, stepMs, rangeMs);
    }
    return StepSampling.ALL;
  }

  /** Hints that only bound the time range. */
  public static SelectHints range(long startMs, long endMs) {
    return new SelectHints(startMs, endMs, 0, 0, 0, null, List.of(), false);
  }
}
