package dev.sextant.query.rest.json;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A metric point: either {@code value} (counters, gauges) or {@code histogram}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointJson(
    String startTimeUnixNano, String timeUnixNano, Double value, HistogramJson histogram) {

  /** An explicit-bucket histogram; {@code min} and {@code max} are null when unknown. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record HistogramJson(
      long count, double sum, Double min, Double max, double[] bounds, long[] bucketCounts) {}
}
