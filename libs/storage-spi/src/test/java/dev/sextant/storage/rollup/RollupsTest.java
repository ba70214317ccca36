package dev.sextant.storage.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.ExponentialHistogramPoint.Buckets;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.storage.query.TimeRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupsTest {
  private static final long S = 1_000_000_000L;
  private static final long MINUTE = 60 * S;

  /** An hour-aligned time: 2026-01-01T00:00:00Z. */
  private static final long T0 = 1_767_225_600_000_000_000L;

  private static NumberPoint n(long seconds, double value) {
    return new NumberPoint(T0 - 3600 * S, T0 + seconds * S, value);
  }

  private static final double STALE = Double.longBitsToDouble(Rollups.STALE_MARKER_BITS);

  @Test
  void numberWindowsCountSumExtremesAndIncreaseAcrossAReset() {
    List<Rollup> rollups =
        Rollups.compute(
            RollupTier.ONE_MINUTE,
            n(-15, 8),
            List.of(n(0, 10), n(15, 15), n(30, 5), n(45, 8), n(60, 9)));

    assertThat(rollups)
        .containsExactly(
            new NumberRollup(
                T0,
                4,
                ExactSum.of(38),
                5,
                15,
                n(0, 10),
                n(45, 8),
                // (10-8) + (15-10) + 5 after the reset + (8-5)
                ExactSum.of(15)),
            new NumberRollup(
                T0 + MINUTE, 1, ExactSum.of(9), 9, 9, n(60, 9), n(60, 9), ExactSum.of(1)));
  }

  @Test
  void aNewStartTimeIsAResetAndAnUnknownOneIsNot() {
    NumberPoint before = new NumberPoint(100, T0, 5);
    NumberPoint restarted = new NumberPoint(200, T0 + S, 7);
    NumberPoint unknownStart = new NumberPoint(0, T0 + 2 * S, 9);

    NumberRollup rollup =
        (NumberRollup)
            Rollups.compute(RollupTier.ONE_MINUTE, before, List.of(restarted, unknownStart))
                .getFirst();

    assertThat(rollup.increase().value()).isEqualTo(7 + 2);
  }

  @Test
  void staleMarkersAreNotSamplesAndNaNDoesNotHideExtremes() {
    NumberRollup rollup =
        (NumberRollup)
            Rollups.compute(
                    RollupTier.ONE_MINUTE,
                    null,
                    List.of(n(0, Double.NaN), n(1, 1), n(2, STALE), n(3, 3), n(4, Double.NaN)))
                .getFirst();

    assertThat(rollup.count()).isEqualTo(4);
    assertThat(rollup.min()).isEqualTo(1);
    assertThat(rollup.max()).isEqualTo(3);
    assertThat(rollup.sum().value()).isNaN();
    assertThat(Rollups.compute(RollupTier.ONE_MINUTE, null, List.of(n(0, STALE)))).isEmpty();
    assertThat(Rollups.compute(RollupTier.ONE_MINUTE, n(-1, STALE), List.of(n(0, 4))))
        .first()
        .extracting(r -> ((NumberRollup) r).increase().value())
        .isEqualTo(0.0);
  }

  private static HistogramPoint h(long seconds, double[] bounds, long... counts) {
    long count = 0;
    for (long c : counts) {
      count += c;
    }
    return new HistogramPoint(T0, T0 + seconds * S, count, count * 1.5, 0, 9, bounds, counts);
  }

  @Test
  void histogramIncreaseKeepsTheUnionOfBoundsWhenTheyChange() {
    double[] old = {1, 2};
    double[] wider = {1, 5};
    HistogramRollup rollup =
        (HistogramRollup)
            Rollups.compute(
                    RollupTier.ONE_MINUTE,
                    h(-10, old, 1, 1, 0),
                    List.of(h(0, old, 2, 1, 1), h(10, wider, 1, 0, 1), h(20, wider, 1, 2, 1)))
                .getFirst();

    // +1 in (..1], +1 in (2..]; then a reset: the new histogram itself; then +2 in (1..5].
    assertThat(rollup.increase().bounds()).containsExactly(1, 2, 5);
    assertThat(rollup.increase().bucketCounts()).containsExactly(2, 0, 2, 2);
    assertThat(rollup.increase().count()).isEqualTo(2 + 2 + 2);
    assertThat(rollup.sumIncrease().value()).isEqualTo(3 + 3 + 3);
    assertThat(rollup.increase().sum()).isEqualTo(9);
    assertThat(rollup.last()).isEqualTo(h(20, wider, 1, 2, 1));
    assertThat(rollup.count()).isEqualTo(3);
  }

  private static ExponentialHistogramPoint e(
      long seconds, int scale, double zeroThreshold, long zero, int offset, long... counts) {
    long count = zero;
    for (long c : counts) {
      count += c;
    }
    return new ExponentialHistogramPoint(
        T0,
        T0 + seconds * S,
        count,
        count,
        Double.NaN,
        Double.NaN,
        scale,
        zero,
        zeroThreshold,
        new Buckets(offset, counts),
        Buckets.EMPTY);
  }

  @Test
  void exponentialIncreaseIsKeptAtTheLowestScaleSeen() {
    // Scale 1 buckets 2..5 merge pairwise into scale 0 buckets 1..2.
    ExponentialHistogramRollup rollup =
        (ExponentialHistogramRollup)
            Rollups.compute(
                    RollupTier.ONE_MINUTE,
                    e(-10, 1, 0, 0, 2, 1, 1, 1, 1),
                    List.of(e(0, 0, 0, 1, 1, 3, 3)))
                .getFirst();

    assertThat(rollup.increase().scale()).isZero();
    assertThat(rollup.increase().positive()).isEqualTo(new Buckets(1, new long[] {1, 1}));
    assertThat(rollup.increase().zeroCount()).isEqualTo(1);
    assertThat(rollup.increase().count()).isEqualTo(3);
  }

  @Test
  void aLargerZeroThresholdTakesTheBucketsItOverlaps() {
    // At scale 0 bucket i covers (2^i, 2^(i+1)]; a threshold of 3 overlaps buckets 0 and 1.
    ExponentialHistogramRollup rollup =
        (ExponentialHistogramRollup)
            Rollups.compute(
                    RollupTier.ONE_MINUTE,
                    e(-10, 0, 0, 0, 0, 1, 1, 1),
                    List.of(e(0, 0, 3, 2, 2, 2)))
                .getFirst();

    assertThat(rollup.increase().zeroThreshold()).isEqualTo(3);
    assertThat(rollup.increase().zeroCount()).isZero();
    assertThat(rollup.increase().positive()).isEqualTo(new Buckets(2, new long[] {1}));
  }

  @Test
  void summariesAddCountAndSumIncreases() {
    SummaryPoint a = new SummaryPoint(T0, T0, 10, 100, List.of());
    SummaryPoint b =
        new SummaryPoint(T0, T0 + S, 15, 130, List.of(new SummaryPoint.Quantile(0.5, 2)));
    SummaryPoint reset = new SummaryPoint(T0 + 2 * S, T0 + 2 * S, 2, 7, List.of());

    SummaryRollup rollup =
        (SummaryRollup) Rollups.compute(RollupTier.ONE_MINUTE, a, List.of(b, reset)).getFirst();

    assertThat(rollup.countIncrease()).isEqualTo(5 + 2);
    assertThat(rollup.sumIncrease().value()).isEqualTo(30 + 7);
    assertThat(rollup.last()).isEqualTo(reset);
  }

  @Test
  void hoursMergedFromMinutesEqualHoursFromSamplesAndSplitsCombine() {
    List<MetricPoint> points = new ArrayList<>();
    double value = 0;
    for (int i = 0; i < 800; i++) {
      value = i % 97 == 0 ? 0.1 * i : value + 0.1 + (i % 7) * 1e-9;
      points.add(n(i * 13L - 2000, i % 50 == 0 ? Double.POSITIVE_INFINITY : value));
    }
    NumberPoint previous = n(-3000, 1e-3);

    List<Rollup> minutes = Rollups.compute(RollupTier.ONE_MINUTE, previous, points);
    List<Rollup> hours = Rollups.compute(RollupTier.ONE_HOUR, previous, points);

    assertThat(Rollups.merge(minutes, RollupTier.ONE_HOUR)).isEqualTo(hours);
    int split = 301;
    Rollup first =
        Rollups.compute(RollupTier.ONE_HOUR, previous, points.subList(0, split)).getLast();
    Rollup second =
        Rollups.compute(
                RollupTier.ONE_HOUR, points.get(split - 1), points.subList(split, points.size()))
            .getFirst();
    assertThat(Rollups.combine(first, second)).isEqualTo(hours.get(1));
  }

  @Test
  void samplesMustBeSortedAndRollupsOfTheSameWindowCombine() {
    assertThatThrownBy(
            () -> Rollups.compute(RollupTier.ONE_MINUTE, null, List.of(n(2, 1), n(1, 1))))
        .isInstanceOf(IllegalArgumentException.class);
    Rollup a = Rollups.compute(RollupTier.ONE_MINUTE, null, List.of(n(0, 1))).getFirst();
    Rollup b = Rollups.compute(RollupTier.ONE_MINUTE, null, List.of(n(60, 1))).getFirst();
    assertThatThrownBy(() -> Rollups.combine(a, b)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sampleTimesCoverTheWindowsStartingInARange() {
    assertThat(Rollups.sampleTimes(RollupTier.ONE_MINUTE, new TimeRange(T0 + S, T0 + 2 * MINUTE)))
        .isEqualTo(new TimeRange(T0 + MINUTE, T0 + 2 * MINUTE));
    assertThat(Rollups.sampleTimes(RollupTier.ONE_MINUTE, new TimeRange(T0, T0 + 1)))
        .isEqualTo(new TimeRange(T0, T0 + MINUTE));
    TimeRange none = Rollups.sampleTimes(RollupTier.ONE_HOUR, new TimeRange(T0 + S, T0 + 2 * S));
    assertThat(none.startUnixNanos()).isEqualTo(none.endUnixNanos());
    assertThat(Rollups.sampleTimes(RollupTier.ONE_HOUR, TimeRange.ALL))
        .isEqualTo(new TimeRange(0, Long.MAX_VALUE));
  }
}
