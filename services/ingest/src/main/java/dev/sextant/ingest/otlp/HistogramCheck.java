package dev.sextant.ingest.otlp;

import dev.sextant.protocol.pipeline.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;

/** Histogram points: buckets that add up, bounds that increase, a finite sum. */
final class HistogramCheck {
  private HistogramCheck() {}

  static Problem check(HistogramDataPoint point) {
    int buckets = point.getBucketCountsCount();
    int bounds = point.getExplicitBoundsCount();
    if (buckets != 0 && buckets != bounds + 1) {
      return invalid(buckets + " bucket counts for " + bounds + " bounds (need bounds + 1)");
    }
    double previous = Double.NEGATIVE_INFINITY;
    for (int i = 0; buckets != 0 && i < bounds; i++) {
      double bound = point.getExplicitBounds(i);
      if (!Double.isFinite(bound) || bound <= previous) {
        return invalid("bounds must be finite and strictly increasing");
      }
      previous = bound;
    }
    if (point.getCount() < 0) {
      return invalid("count is beyond the signed 64-bit range");
    }
    if (buckets != 0) {
      Problem problem = checkBucketSum(point);
      if (problem != null) {
        return problem;
      }
    }
    return OtlpMetricNormalizer.checkSumMinMax(
        point.hasSum(),
        point.getSum(),
        point.hasMin(),
        point.getMin(),
        point.hasMax(),
        point.getMax());
  }

  private static Problem checkBucketSum(HistogramDataPoint point) {
    long total = 0;
    for (long count : point.getBucketCountsList()) {
      if (count < 0) {
        return invalid("a bucket count is beyond the signed 64-bit range");
      }
      try {
        total = Math.addExact(total, count);
      } catch (ArithmeticException e) {
        return invalid("bucket counts overflow");
      }
    }
    if (total != point.getCount()) {
      return invalid("count " + point.getCount() + " is not the sum of bucket counts " + total);
    }
    return null;
  }

  static Histogram toHistogram(HistogramDataPoint point) {
    Histogram.Builder histogram =
        Histogram.newBuilder()
            .setCount(point.getCount())
            .setSum(point.hasSum() ? point.getSum() : Double.NaN)
            .setMin(point.hasMin() ? point.getMin() : Double.NaN)
            .setMax(point.hasMax() ? point.getMax() : Double.NaN);
    if (point.getBucketCountsCount() == 0) {
      // No buckets: one +Inf bucket holds every observation, so count stays queryable.
      return histogram.addBucketCounts(point.getCount()).build();
    }
    return histogram
        .addAllBounds(point.getExplicitBoundsList())
        .addAllBucketCounts(point.getBucketCountsList())
        .build();
  }

  private static Problem invalid(String detail) {
    return new Problem(RejectReason.INVALID_HISTOGRAM, detail);
  }
}
