package dev.sextant.storage.query;

import java.util.List;

/** Series of one tenant matching every matcher, with points in the range. */
public record SeriesQuery(String tenant, List<LabelMatcher> matchers, TimeRange range) {
  public SeriesQuery {
    matchers = List.copyOf(matchers);
    range = range == null ? TimeRange.ALL : range;
  }
}
