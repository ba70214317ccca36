package dev.sextant.promql.storage;

import java.util.List;

/**
 * What the engine will do with the selected series, as Prometheus's storage.SelectHints. Times are
 * Unix milliseconds, inclusive. {@code stepMs} is the query step (0 for an instant query), {@code
 * rangeMs} the range of the enclosing range selector (0 for an instant selector), {@code function}
 * the enclosing function's name (null when none), {@code grouping} and {@code by} those of the
 * enclosing aggregation (empty and false when none).
 */
public record SelectHints(
    long startMs,
    long endMs,
    long stepMs,
    long rangeMs,
    String function,
    List<String> grouping,
    boolean by) {
  public SelectHints {
    grouping = List.copyOf(grouping);
  }

  /** Hints that only bound the time range. */
  public static SelectHints range(long startMs, long endMs) {
    return new SelectHints(startMs, endMs, 0, 0, null, List.of(), false);
  }
}
