package dev.sextant.promql.storage;

import dev.sextant.storage.query.LabelMatcher;
import java.util.List;

/**
 * The engine's only way to storage: series matching label matchers, with their float samples in a
 * time range. Synchronous on purpose: the engine runs on a worker thread and needs every selected
 * series before it can evaluate. A querier is scoped to one tenant by whoever creates it.
 */
public interface Querier {

  /**
   * Series whose labels (including {@code __name__}) satisfy every matcher and that have samples in
   * {@code [hints.startMs(), hints.endMs()]}, sorted by labels, each with its samples in that range
   * (more is allowed: the engine ignores samples outside). The other hints are optional: a backend
   * may use them to push work down (pick a rollup tier, pre-aggregate), or ignore them.
   */
  SeriesSet select(SelectHints hints, List<LabelMatcher> matchers);

  /** Label names of the series matching the matchers (all series when empty), sorted. */
  default List<String> labelNames(long startMs, long endMs, List<LabelMatcher> matchers) {
    throw new UnsupportedOperationException("label names");
  }

  /** Values of a label in the series matching the matchers (all series when empty), sorted. */
  default List<String> labelValues(
      String name, long startMs, long endMs, List<LabelMatcher> matchers) {
    throw new UnsupportedOperationException("label values");
  }
}
