package dev.sextant.query.metrics;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricType;
import dev.sextant.promql.functions.BucketQuantile;
import dev.sextant.query.prom.store.ExponentialBuckets;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.rollup.ExponentialHistogramRollup;
import dev.sextant.storage.rollup.HistogramRollup;
import dev.sextant.storage.rollup.NumberRollup;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.Rollups;
import dev.sextant.storage.rollup.SummaryRollup;
import java.util.List;

/**
 * The number an aggregation gives for one bucket of one group: the rollups of that bucket, one per
 * series of the group. By type:
 *
 * <ul>
 *   <li>Counters: {@code sum} and {@code increase} are what the series added together (reset
 *       adjusted), {@code rate} that per second, {@code avg}/{@code min}/{@code max} the average,
 *       smallest and largest increase of one series, {@code count} the samples, {@code last} the
 *       series' latest values added up.
 *   <li>Gauges, up-down counters, untyped: {@code avg}, {@code min}, {@code max}, {@code sum},
 *       {@code count} over every sample of the group; {@code last} the series' latest values added
 *       up; {@code increase}/{@code rate} the change.
 *   <li>Histograms, exponential histograms, summaries: {@code count} the observations added, {@code
 *       sum} their sum, {@code avg} sum over count, {@code rate} observations per second;
 *       percentiles interpolated in the buckets exactly as PromQL's histogram_quantile does. {@code
 *       min}/{@code max}/{@code last} are refused: buckets only bound the values.
 * </ul>
 */
final class MetricValues {
  private MetricValues() {}

  /** What a type answers when no aggregation was asked for. */
  static MetricAggregation natural(MetricType type) {
    return switch (type) {
      case COUNTER -> MetricAggregation.INCREASE;
      case UP_DOWN_COUNTER, GAUGE, UNKNOWN -> MetricAggregation.AVG;
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY -> MetricAggregation.COUNT;
    };
  }

  static void check(MetricType type, MetricAggregation aggregation) {
    boolean distribution =
        type == MetricType.HISTOGRAM
            || type == MetricType.EXPONENTIAL_HISTOGRAM
            || type == MetricType.SUMMARY;
    boolean bucketBound =
        aggregation == MetricAggregation.MIN
            || aggregation == MetricAggregation.MAX
            || aggregation == MetricAggregation.LAST;
    if (distribution && bucketBound) {
      throw RejectedRequestException.badInput(
          "aggregation "
              + aggregation.tag()
              + " is not available for a "
              + type
              + ": its buckets only bound the values; ask for percentiles");
    }
  }

  /** The value, or NaN when the bucket holds nothing it can be computed from. */
  static double value(
      MetricType type, MetricAggregation aggregation, List<Rollup> series, double seconds) {
    Rollup all = Rollups.acrossSeries(series);
    return switch (all) {
      case NumberRollup n -> number(type, aggregation, n, series, seconds);
      case HistogramRollup h ->
          distribution(aggregation, h.increase().count(), h.sumIncrease().value(), seconds);
      case ExponentialHistogramRollup e ->
          distribution(aggregation, e.increase().count(), e.sumIncrease().value(), seconds);
      case SummaryRollup s ->
          distribution(aggregation, s.countIncrease(), s.sumIncrease().value(), seconds);
    };
  }

  private static double number(
      MetricType type,
      MetricAggregation aggregation,
      NumberRollup all,
      List<Rollup> series,
      double seconds) {
    boolean counter = type == MetricType.COUNTER;
    return switch (aggregation) {
      case SUM -> counter ? all.increase().value() : all.sum().value();
      case INCREASE -> all.increase().value();
      case RATE -> all.increase().value() / seconds;
      case COUNT -> all.count();
      case LAST -> {
        double sum = 0;
        for (Rollup r : series) {
          sum += ((NumberRollup) r).last().value();
        }
        yield sum;
      }
      case AVG ->
          counter ? all.increase().value() / series.size() : all.sum().value() / all.count();
      case MIN -> counter ? extremeIncrease(series, true) : all.min();
      case MAX -> counter ? extremeIncrease(series, false) : all.max();
    };
  }

  private static double extremeIncrease(List<Rollup> series, boolean min) {
    double extreme = min ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    for (Rollup r : series) {
      double increase = ((NumberRollup) r).increase().value();
      extreme = min ? Math.min(extreme, increase) : Math.max(extreme, increase);
    }
    return extreme;
  }

  private static double distribution(
      MetricAggregation aggregation, long count, double sum, double seconds) {
    return switch (aggregation) {
      case COUNT, INCREASE -> count;
      case SUM -> sum;
      case AVG -> count == 0 ? Double.NaN : sum / count;
      case RATE -> count / seconds;
      case MIN, MAX, LAST -> throw new IllegalStateException("checked before: " + aggregation);
    };
  }

  /** A percentile of the group's observations in the bucket, as histogram_quantile gives it. */
  static double percentile(double q, List<Rollup> series) {
    Rollup all = Rollups.acrossSeries(series);
    return switch (all) {
      case HistogramRollup h -> quantile(q, h.increase());
      case ExponentialHistogramRollup e -> quantile(q, e.increase());
      case NumberRollup n ->
          throw RejectedRequestException.badInput(
              "percentiles need a histogram metric; this one has single values");
      case SummaryRollup s -> summaryQuantile(q, series);
    };
  }

  private static double quantile(double q, HistogramPoint increase) {
    double[] bounds = increase.bounds();
    long[] counts = increase.bucketCounts();
    double[] le = new double[counts.length];
    double[] cumulative = new double[counts.length];
    double running = 0;
    for (int i = 0; i < counts.length; i++) {
      le[i] = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
      running += counts[i];
      cumulative[i] = running;
    }
    return BucketQuantile.of(q, le, cumulative, le.length);
  }

  private static double quantile(double q, ExponentialHistogramPoint increase) {
    double[] bounds = ExponentialBuckets.boundaries(increase);
    long[] counts = ExponentialBuckets.counts(increase);
    double[] le = new double[bounds.length + 1];
    double[] cumulative = new double[bounds.length + 1];
    double running = 0;
    for (int i = 0; i < bounds.length; i++) {
      le[i] = bounds[i];
      running += counts[i];
      cumulative[i] = running;
    }
    le[bounds.length] = Double.POSITIVE_INFINITY;
    cumulative[bounds.length] = running;
    return BucketQuantile.of(q, le, cumulative, le.length);
  }

  /** A summary's own quantile: only of one series, and only one it computed. */
  private static double summaryQuantile(double q, List<Rollup> series) {
    if (series.size() != 1) {
      throw RejectedRequestException.badInput(
          "a summary's quantiles cannot be combined across series; filter or group down to one");
    }
    for (var quantile : ((SummaryRollup) series.getFirst()).last().quantiles()) {
      if (quantile.quantile() == q) {
        return quantile.value();
      }
    }
    throw RejectedRequestException.badInput(
        "this summary computes no quantile " + q + "; it has only the ones its client chose");
  }
}
