package dev.sextant.query.metrics;

import java.util.Locale;

/**
 * How the metric query API turns a metric's rollups into one number per bucket and group. What each
 * means depends on the metric's type; {@link MetricValues} says it, and refuses what a type cannot
 * answer (the maximum of a histogram, whose buckets only bound it).
 */
public enum MetricAggregation {
  SUM,
  AVG,
  MIN,
  MAX,
  COUNT,
  LAST,
  RATE,
  INCREASE;

  /** The aggregation named (any case); null when none is. */
  public static MetricAggregation parse(String name) {
    for (MetricAggregation a : values()) {
      if (a.name().equalsIgnoreCase(name)) {
        return a;
      }
    }
    return null;
  }

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
