package dev.sextant.query.metrics;

import dev.sextant.query.request.AttributeFilters;
import dev.sextant.query.request.Echo;
import dev.sextant.query.request.LimitParam;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.query.TimeRange;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One question to the metric query API, validated.
 *
 * @param metric the stored (OTLP) metric name
 * @param aggregation what to compute; null for the type's natural one ({@link MetricValues})
 * @param groupBy stored label names to break the answer down by (empty: one group)
 * @param filters stored label name to the value it must have
 * @param interval bucket length for time series and percentiles; null for one bucket over the range
 * @param percentiles quantiles in [0, 1] for percentile answers (empty otherwise)
 * @param range the time range
 * @param limit the most groups a breakdown lists
 */
public record MetricQuery(
    String metric,
    MetricAggregation aggregation,
    List<String> groupBy,
    Map<String, String> filters,
    Duration interval,
    List<Double> percentiles,
    TimeRange range,
    int limit) {

  /** The bucket lengths the API offers. */
  public static final List<Duration> INTERVALS =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofHours(1),
          Duration.ofDays(1));

  /** The most groups a breakdown lists. */
  public static final int MAX_LIMIT = 1000;

  public MetricQuery {
    groupBy = List.copyOf(groupBy);
    filters = Map.copyOf(filters);
    percentiles = List.copyOf(percentiles);
  }

  /**
   * A query from either API, checked the same way: a known aggregation (or none), at most {@link
   * AttributeFilters#MAX_FILTERS} non-empty groupBy labels and filters, one of the offered
   * intervals (or none), percentiles within [0, 1], a limit within 1..{@link #MAX_LIMIT}.
   */
  public static MetricQuery of(
      String metric,
      String aggregation,
      List<String> groupBy,
      Map<String, String> filters,
      Duration interval,
      List<Double> percentiles,
      TimeRange range,
      int limit) {
    if (metric == null || metric.isEmpty()) {
      throw RejectedRequestException.badInput("metric is required");
    }
    MetricAggregation parsed = null;
    if (aggregation != null && !aggregation.isEmpty()) {
      parsed = MetricAggregation.parse(aggregation);
      if (parsed == null) {
        throw RejectedRequestException.badInput(
            "aggregation must be one of sum, avg, min, max, count, last, rate, increase, got "
                + Echo.of(aggregation));
      }
    }
    if (groupBy.size() > AttributeFilters.MAX_FILTERS
        || groupBy.stream().anyMatch(String::isEmpty)) {
      throw RejectedRequestException.badInput(
          "groupBy takes at most " + AttributeFilters.MAX_FILTERS + " non-empty label names");
    }
    if (interval != null && !INTERVALS.contains(interval)) {
      throw RejectedRequestException.badInput(
          "interval must be one of 1m, 5m, 15m, 1h, 1d, got " + interval);
    }
    for (double q : percentiles) {
      if (!(q >= 0 && q <= 1)) {
        throw RejectedRequestException.badInput("percentile must be within 0..1, got " + q);
      }
    }
    return new MetricQuery(
        metric,
        parsed,
        groupBy,
        AttributeFilters.validate("filter", filters),
        interval,
        percentiles,
        range,
        LimitParam.require("limit", limit, MAX_LIMIT));
  }
}
