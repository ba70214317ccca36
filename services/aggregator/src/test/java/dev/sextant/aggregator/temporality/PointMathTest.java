package dev.sextant.aggregator.temporality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.ExponentialHistogramPoint.Buckets;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.NumberPoint;
import org.junit.jupiter.api.Test;

class PointMathTest {
  private static final double[] BOUNDS = {1, 10};

  private static HistogramPoint histogram(long time, long... counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return new HistogramPoint(100, time, total, total * 2.0, 0.5, 20, BOUNDS, counts);
  }

  private static ExponentialHistogramPoint exponential(
      long time, int scale, long zero, double threshold, Buckets positive, Buckets negative) {
    long count = zero + positive.total() + negative.total();
    return new ExponentialHistogramPoint(
        100,
        time,
        count,
        count,
        Double.NaN,
        Double.NaN,
        scale,
        zero,
        threshold,
        positive,
        negative);
  }

  @Test
  void numbersAddAtTheDeltaTimeFromTheSumStart() {
    assertThat(PointMath.add(new NumberPoint(5, 10, 2), new NumberPoint(10, 20, 3)))
        .isEqualTo(new NumberPoint(5, 20, 5));
  }

  @Test
  void histogramsAddBucketByBucketAndRefuseOtherBounds() {
    HistogramPoint sum = histogram(10, 1, 2, 3);
    assertThat(PointMath.add(sum, histogram(20, 1, 0, 1)))
        .isEqualTo(new HistogramPoint(100, 20, 8, 16, 0.5, 20, BOUNDS, new long[] {2, 2, 4}));
    HistogramPoint otherBounds =
        new HistogramPoint(10, 20, 1, 1, 1, 1, new double[] {5}, new long[] {1, 0});
    assertThat(PointMath.add(sum, otherBounds)).isNull();
  }

  @Test
  void exponentialHistogramsOfDifferentScalesMeetAtTheLowerOne() {
    // Scale 1: buckets 4 and 5 together make bucket 2 at scale 0; bucket 6 makes bucket 3.
    ExponentialHistogramPoint fine =
        exponential(10, 1, 0, 0, new Buckets(4, new long[] {1, 2, 4}), Buckets.EMPTY);
    ExponentialHistogramPoint coarse =
        exponential(20, 0, 1, 0, new Buckets(2, new long[] {10}), new Buckets(-1, new long[] {3}));

    ExponentialHistogramPoint merged = (ExponentialHistogramPoint) PointMath.add(fine, coarse);

    assertThat(merged.scale()).isZero();
    assertThat(merged.positive()).isEqualTo(new Buckets(2, new long[] {13, 4}));
    assertThat(merged.negative()).isEqualTo(new Buckets(-1, new long[] {3}));
    assertThat(merged.zeroCount()).isEqualTo(1);
    assertThat(merged.count()).isEqualTo(fine.count() + coarse.count());
    assertThat(merged.timeUnixNanos()).isEqualTo(20);
  }

  @Test
  void aWiderZeroBucketTakesTheBucketsInsideIt() {
    // At scale 0, bucket -2 is (0.25, 0.5]: inside a zero threshold of 0.5; bucket 0 is (1, 2].
    ExponentialHistogramPoint narrow =
        exponential(10, 0, 2, 0.1, new Buckets(-2, new long[] {5, 0, 7}), Buckets.EMPTY);
    ExponentialHistogramPoint wide = exponential(20, 0, 1, 0.5, Buckets.EMPTY, Buckets.EMPTY);

    ExponentialHistogramPoint merged = (ExponentialHistogramPoint) PointMath.add(narrow, wide);

    assertThat(merged.zeroThreshold()).isEqualTo(0.5);
    assertThat(merged.zeroCount()).isEqualTo(2 + 5 + 1);
    assertThat(merged.positive()).isEqualTo(new Buckets(-1, new long[] {0, 7}));
  }

  @Test
  void downscalingFloorsNegativeIndexes() {
    assertThat(PointMath.downscale(new Buckets(-3, new long[] {1, 1, 1, 1}), 1))
        .isEqualTo(new Buckets(-2, new long[] {1, 2, 1}));
  }

  @Test
  void theIncreaseOfACumulativeSeriesIsTheDifferenceOrTheWholeValueAfterAReset() {
    assertThat(PointMath.increase(new NumberPoint(1, 10, 5), new NumberPoint(1, 20, 8)))
        .isEqualTo(new NumberPoint(10, 20, 3));
    // A decrease is a reset: everything since counts.
    assertThat(PointMath.increase(new NumberPoint(1, 10, 5), new NumberPoint(1, 20, 2)))
        .isEqualTo(new NumberPoint(10, 20, 2));
    // A new start time is a restart, even when the value went up.
    assertThat(PointMath.increase(new NumberPoint(1, 10, 5), new NumberPoint(15, 20, 9)))
        .isEqualTo(new NumberPoint(10, 20, 9));
    assertThat(PointMath.increase(histogram(10, 1, 2, 3), histogram(20, 1, 3, 3)))
        .isEqualTo(
            new HistogramPoint(10, 20, 1, 2, Double.NaN, Double.NaN, BOUNDS, new long[] {0, 1, 0}));
    assertThat(PointMath.increase(histogram(10, 1, 2, 3), histogram(20, 0, 9, 3)))
        .isEqualTo(PointMath.retime(histogram(20, 0, 9, 3), 10, 20));
  }

  @Test
  void theIncreaseOfAnExponentialHistogramComparesAtTheCurrentScale() {
    ExponentialHistogramPoint before =
        exponential(10, 1, 1, 0, new Buckets(4, new long[] {1, 1}), Buckets.EMPTY);
    ExponentialHistogramPoint after =
        exponential(20, 0, 2, 0, new Buckets(2, new long[] {5}), Buckets.EMPTY);

    ExponentialHistogramPoint increase =
        (ExponentialHistogramPoint) PointMath.increase(before, after);

    assertThat(increase.scale()).isZero();
    assertThat(increase.positive()).isEqualTo(new Buckets(2, new long[] {3}));
    assertThat(increase.zeroCount()).isEqualTo(1);
    assertThat(increase.count()).isEqualTo(after.count() - before.count());
  }
}
