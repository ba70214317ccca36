package dev.sextant.storage.query;

import dev.sextant.model.MetricSeries;
import java.util.List;

/** Series of one tenant matching every matcher, with points in the range. */
public record SeriesQuery(String tenant, List<LabelMatcher> matchers, TimeRange range) {
  public SeriesQuery {
    matchers = List.copyOf(matchers);
    range = range == null ? TimeRange.ALL : range;
  }

  /** Whether the series satisfies every matcher (its tenant and points are not looked at). */
  public boolean matches(MetricSeries series) {
    for (LabelMatcher matcher : matchers) {
      if (!matcher.matches(series.name(), series.labels())) {
        return false;
      }
    }
    return true;
  }
}
