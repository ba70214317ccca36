package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.OTHER_TENANT;
import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static dev.sextant.storage.testkit.Fixtures.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.NumberRollup;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Rollups: whatever a backend stores or computes, {@link MetricStore#rollups} must equal {@link
 * Rollups#compute} over the points it stores — on random data of every type, with late and replaced
 * points written across flushes — and an hour must be the merge of its minutes.
 */
public abstract class MetricRollupConformance extends StorageConformance {
  private static final long MINUTE = seconds(60);
  private static final long HOUR = seconds(3600);

  /** What the store must hold: per series, the last point written at each time. */
  private final Map<MetricSeries, NavigableMap<Long, MetricPoint>> stored = new LinkedHashMap<>();

  private MetricStore metrics() {
    return storage().metrics();
  }

  private void write(List<MetricWrite> writes) {
    await(metrics().write(writes));
    for (MetricWrite w : writes) {
      stored
          .computeIfAbsent(w.series(), s -> new TreeMap<>())
          .put(w.point().timeUnixNanos(), w.point());
    }
  }

  private List<Rollup> rollups(MetricSeries series, RollupTier tier, TimeRange range) {
    return await(metrics().rollups(series.tenant(), series.id(), tier, range));
  }

  /** The reference: {@link Rollups#compute} over the expected points of the series. */
  private List<Rollup> expected(MetricSeries series, RollupTier tier, TimeRange range) {
    NavigableMap<Long, MetricPoint> points = stored.getOrDefault(series, new TreeMap<>());
    TimeRange times = Rollups.sampleTimes(tier, range);
    MetricPoint previous = null;
    for (MetricPoint before :
        points.headMap(times.startUnixNanos(), false).descendingMap().values()) {
      if (!Rollups.isStaleMarker(before)) {
        previous = before;
        break;
      }
    }
    return Rollups.compute(
        tier,
        previous,
        List.copyOf(points.subMap(times.startUnixNanos(), times.endUnixNanos()).values()));
  }

  /**
   * Random series of every type over about three hours, written in shuffled batches across several
   * flushes, with one point in twenty written again with another value later on.
   */
  private List<MetricSeries> writeRandomSeries(long seed) {
    RandomSamples samples = new RandomSamples(seed);
    List<MetricWrite> all = new ArrayList<>();
    List<MetricSeries> series = new ArrayList<>();
    for (MetricType type : MetricType.values()) {
      for (int i = 0; i < 2; i++) {
        MetricSeries one = series("rollup_" + type.name().toLowerCase(), type, "i", "" + i);
        series.add(one);
        for (MetricPoint p : samples.series(type, T0 - seconds(1800), seconds(15), 700)) {
          all.add(new MetricWrite(one, p));
        }
      }
    }
    Random random = new Random(seed);
    List<List<MetricWrite>> batches = new ArrayList<>();
    for (int from = 0; from < all.size(); from += 500) {
      batches.add(new ArrayList<>(all.subList(from, Math.min(all.size(), from + 500))));
    }
    // Mostly in order, with some batches late; then replacements of earlier points.
    for (int i = 0; i + 1 < batches.size(); i += 3) {
      Collections.swap(batches, i, i + 1);
    }
    for (int i = 0; i < batches.size(); i++) {
      write(batches.get(i));
      if (random.nextInt(3) == 0) {
        await(metrics().flush());
      }
    }
    List<MetricWrite> replacements = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 20) {
      MetricWrite old = all.get(all.size() - 1 - i);
      MetricPoint other = samples.series(old.series().type(), 0, 1, 1).getFirst();
      replacements.add(new MetricWrite(old.series(), withTime(other, old.point())));
    }
    write(replacements);
    await(metrics().flush());
    return series;
  }

  /** {@code point} moved to the start and time of {@code at}. */
  private static MetricPoint withTime(MetricPoint point, MetricPoint at) {
    long start = at.startTimeUnixNanos();
    long time = at.timeUnixNanos();
    return switch (point) {
      case NumberPoint n -> new NumberPoint(start, time, n.value());
      case dev.sextant.model.HistogramPoint h ->
          new dev.sextant.model.HistogramPoint(
              start, time, h.count(), h.sum(), h.min(), h.max(), h.bounds(), h.bucketCounts());
      case dev.sextant.model.ExponentialHistogramPoint e ->
          new dev.sextant.model.ExponentialHistogramPoint(
              start,
              time,
              e.count(),
              e.sum(),
              e.min(),
              e.max(),
              e.scale(),
              e.zeroCount(),
              e.zeroThreshold(),
              e.positive(),
              e.negative());
      case dev.sextant.model.SummaryPoint s ->
          new dev.sextant.model.SummaryPoint(start, time, s.count(), s.sum(), s.quantiles());
    };
  }

  @Test
  void rollupsEqualTheReferenceOverTheStoredPoints() {
    List<MetricSeries> series = writeRandomSeries(3);

    List<TimeRange> ranges =
        List.of(
            TimeRange.ALL,
            new TimeRange(T0, T0 + HOUR),
            new TimeRange(T0 - seconds(7), T0 + seconds(5000)),
            new TimeRange(T0 + seconds(1), T0 + seconds(2)));
    for (MetricSeries one : series) {
      for (RollupTier tier : RollupTier.values()) {
        for (TimeRange range : ranges) {
          assertThat(rollups(one, tier, range))
              .as("%s %s %s", one.name(), tier, range)
              .isEqualTo(expected(one, tier, range));
        }
      }
    }
  }

  @Test
  void anHourIsTheMergeOfItsMinutes() {
    List<MetricSeries> series = writeRandomSeries(5);
    TimeRange hours = new TimeRange(T0 - HOUR, T0 + 3 * HOUR);

    for (MetricSeries one : series) {
      List<Rollup> minutes = rollups(one, RollupTier.ONE_MINUTE, hours);
      assertThat(minutes).as(one.name()).isNotEmpty();
      assertThat(Rollups.merge(minutes, RollupTier.ONE_HOUR))
          .as(one.name())
          .isEqualTo(rollups(one, RollupTier.ONE_HOUR, hours));
    }
  }

  @Test
  void aLatePointAndAReplacementChangeTheWindowsTheyTouch() {
    MetricSeries counter = series("late_total", MetricType.COUNTER, "job", "a");
    List<MetricWrite> inOrder = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      inOrder.add(new MetricWrite(counter, new NumberPoint(T0, T0 + seconds(10L * i), 10 * i)));
    }
    write(inOrder);
    await(metrics().flush());
    TimeRange all = new TimeRange(T0, T0 + HOUR);
    List<Rollup> before = rollups(counter, RollupTier.ONE_MINUTE, all);

    // A reset at 55 s changes the increase of its window and of the next one's first point.
    write(List.of(new MetricWrite(counter, new NumberPoint(T0, T0 + seconds(55), 1))));
    write(List.of(new MetricWrite(counter, new NumberPoint(T0, T0 + seconds(120), 7))));
    await(metrics().flush());

    List<Rollup> after = rollups(counter, RollupTier.ONE_MINUTE, all);
    assertThat(after).isEqualTo(expected(counter, RollupTier.ONE_MINUTE, all));
    assertThat(after).isNotEqualTo(before);
    assertThat(((NumberRollup) after.get(1)).increase().value())
        .isEqualTo(((NumberRollup) before.get(1)).increase().value() + 50 - 1);
    assertThat(rollups(counter, RollupTier.ONE_HOUR, all))
        .isEqualTo(expected(counter, RollupTier.ONE_HOUR, all));
  }

  @Test
  void rollupsBelongToTheirTenant() {
    MetricSeries ours = series(TENANT, "shared_total", MetricType.COUNTER, "job", "a");
    MetricSeries theirs = series(OTHER_TENANT, "shared_total", MetricType.COUNTER, "job", "a");
    write(List.of(new MetricWrite(ours, new NumberPoint(T0, T0, 1))));
    write(List.of(new MetricWrite(theirs, new NumberPoint(T0, T0 + 1, 5))));
    await(metrics().flush());

    assertThat(
            await(metrics().rollups(OTHER_TENANT, ours.id(), RollupTier.ONE_HOUR, TimeRange.ALL)))
        .isEmpty();
    assertThat(rollups(theirs, RollupTier.ONE_HOUR, TimeRange.ALL))
        .isEqualTo(expected(theirs, RollupTier.ONE_HOUR, TimeRange.ALL))
        .hasSize(1);
    assertThat(await(metrics().rollups(TENANT, 42L, RollupTier.ONE_MINUTE, TimeRange.ALL)))
        .isEmpty();
  }

  @Test
  void deleteOlderThanDropsTheWindowsThatEndedBeforeTheCutoff() {
    List<MetricSeries> series = writeRandomSeries(9);
    long cutoff = T0 + seconds(600) + seconds(7);

    await(metrics().deleteOlderThan(cutoff));
    stored.values().forEach(points -> points.headMap(cutoff).clear());

    for (MetricSeries one : series) {
      for (RollupTier tier : RollupTier.values()) {
        List<Rollup> left = rollups(one, tier, TimeRange.ALL);
        assertThat(left)
            .as("%s %s", one.name(), tier)
            .allSatisfy(
                r -> assertThat(r.windowStartUnixNanos() + tier.nanos()).isGreaterThan(cutoff));
      }
      // Windows after the first one the cutoff touched no longer depend on deleted points.
      TimeRange later = new TimeRange(cutoff + 2 * MINUTE, Long.MAX_VALUE);
      assertThat(rollups(one, RollupTier.ONE_MINUTE, later))
          .as(one.name())
          .isEqualTo(expected(one, RollupTier.ONE_MINUTE, later));
    }
  }
}
