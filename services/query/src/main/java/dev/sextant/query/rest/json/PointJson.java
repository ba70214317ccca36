package dev.sextant.query.rest.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A metric point: exactly one of {@code value} (counters, gauges), {@code histogram}, {@code
 * exponentialHistogram} or {@code summary}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointJson(
    String startTimeUnixNano,
    String timeUnixNano,
    Double value,
    HistogramJson histogram,
    ExponentialHistogramJson exponentialHistogram,
    SummaryJson summary) {

  static PointJson number(String start, String time, double value) {
    return new PointJson(start, time, value, null, null, null);
  }

  /** An explicit-bucket histogram; {@code min} and {@code max} are null when unknown. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record HistogramJson(
      long count, double sum, Double min, Double max, double[] bounds, long[] bucketCounts) {}

  /** An exponential histogram as OpenTelemetry defines it; min and max null when unknown. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ExponentialHistogramJson(
      long count,
      double sum,
      Double min,
      Double max,
      int scale,
      long zeroCount,
      double zeroThreshold,
      BucketsJson positive,
      BucketsJson negative) {}

  /** Consecutive bucket counts from bucket index {@code offset}. */
  public record BucketsJson(int offset, long[] bucketCounts) {}

  /** A summary: count, sum and the client's quantiles. */
  public record SummaryJson(long count, double sum, List<QuantileJson> quantiles) {}

  public record QuantileJson(double quantile, double value) {}
}
