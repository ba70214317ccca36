package dev.sextant.ingest.otlp;

import dev.sextant.protocol.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;

/**
 * Exponential histogram points: a scale OpenTelemetry allows, counts that add up (zero bucket plus
 * both sides equal the count), a finite non-negative zero threshold, a finite sum when there is
 * one. Converted exactly: buckets are never rebucketed here.
 */
final class ExponentialHistogramCheck {
  static final int MIN_SCALE = -10;
  static final int MAX_SCALE = 20;

  private ExponentialHistogramCheck() {}

  static Problem check(ExponentialHistogramDataPoint point) {
    if (point.getScale() < MIN_SCALE || point.getScale() > MAX_SCALE) {
      return invalid("scale " + point.getScale() + " is outside " + MIN_SCALE + ".." + MAX_SCALE);
    }
    if (point.getCount() < 0 || point.getZeroCount() < 0) {
      return invalid("count is beyond the signed 64-bit range");
    }
    double threshold = point.getZeroThreshold();
    if (!Double.isFinite(threshold) || threshold < 0) {
      return invalid("zero threshold must be finite and not negative, got " + threshold);
    }
    long total = point.getZeroCount();
    try {
      total = Math.addExact(total, side(point.getPositive()));
      total = Math.addExact(total, side(point.getNegative()));
    } catch (ArithmeticException e) {
      return invalid("bucket counts overflow");
    } catch (IllegalArgumentException e) {
      return invalid(e.getMessage());
    }
    if (total != point.getCount()) {
      return invalid(
          "count "
              + point.getCount()
              + " is not the zero count plus the bucket counts ("
              + total
              + ")");
    }
    return OtlpMetricNormalizer.checkSumMinMax(
        point.hasSum(),
        point.getSum(),
        point.hasMin(),
        point.getMin(),
        point.hasMax(),
        point.getMax());
  }

  /** The total of one side; throws when a count is out of range or the indexes overflow. */
  private static long side(ExponentialHistogramDataPoint.Buckets buckets) {
    long lastIndex = (long) buckets.getOffset() + buckets.getBucketCountsCount() - 1;
    if (lastIndex > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bucket indexes beyond the 32-bit range");
    }
    long total = 0;
    for (long count : buckets.getBucketCountsList()) {
      if (count < 0) {
        throw new IllegalArgumentException("a bucket count is beyond the signed 64-bit range");
      }
      total = Math.addExact(total, count);
    }
    return total;
  }

  static ExponentialHistogram toExponentialHistogram(ExponentialHistogramDataPoint point) {
    return ExponentialHistogram.newBuilder()
        .setCount(point.getCount())
        .setSum(point.hasSum() ? point.getSum() : Double.NaN)
        .setMin(point.hasMin() ? point.getMin() : Double.NaN)
        .setMax(point.hasMax() ? point.getMax() : Double.NaN)
        .setScale(point.getScale())
        .setZeroCount(point.getZeroCount())
        .setZeroThreshold(point.getZeroThreshold())
        .setPositive(buckets(point.getPositive()))
        .setNegative(buckets(point.getNegative()))
        .build();
  }

  private static ExponentialHistogram.Buckets buckets(
      ExponentialHistogramDataPoint.Buckets buckets) {
    return ExponentialHistogram.Buckets.newBuilder()
        .setOffset(buckets.getOffset())
        .addAllBucketCounts(buckets.getBucketCountsList())
        .build();
  }

  private static Problem invalid(String detail) {
    return new Problem(RejectReason.INVALID_HISTOGRAM, detail);
  }
}
