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
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention of metrics: raw samples go only where their rollups are stored for good, and then the
 * rollups still answer for the old range, the series are still found there, and readers are told
 * where raw samples may be missing; rollup tiers age on their own; narrowing by series labels and
 * tenants holds.
 */
public abstract class DownsamplingConformance extends StorageConformance {
  private static final long HOUR = seconds(3_600);
  private static final long STEP = seconds(10);

  /** How many flushes {@link #awaitRolledUp} waits at most for a backend to roll up. */
  protected int maxFlushesToRollUp() {
    return 20_000;
  }

  private MetricStore metrics() {
    return storage().metrics();
  }

  private RetentionStore retention() {
    return storage().retention();
  }

  private static final MetricSeries COUNTER =
      series("requests", MetricType.COUNTER, "service.name", "api");
  private static final MetricSeries GAUGE =
      series("queue_depth", MetricType.GAUGE, "service.name", "worker");
  private static final MetricSeries OTHER =
      series(OTHER_TENANT, "requests", MetricType.COUNTER, "service.name", "api");

  /** Six hours of a sample every 10 s (a counter with a reset), then one more hours later. */
  private static List<MetricPoint> points(MetricSeries series) {
    List<MetricPoint> points = new ArrayList<>();
    double value = 0;
    for (long t = T0; t < T0 + 6 * HOUR; t += STEP) {
      boolean reset = series.type() == MetricType.COUNTER && t == T0 + seconds(90 * 60 + 10);
      value = reset ? 1 : value + (series.type() == MetricType.COUNTER ? 3 : -1.5);
      points.add(new NumberPoint(T0 - seconds(1), t, value));
    }
    return points;
  }

  private List<MetricPoint> pointsOf(MetricSeries series, TimeRange range) {
    return await(metrics().points(series.tenant(), series.id(), range));
  }

  private List<Rollup> rollupsOf(MetricSeries series, RollupTier tier, TimeRange range) {
    return await(metrics().rollups(series.tenant(), series.id(), tier, range));
  }

  /** Writes the six hours, then a late-enough sample so a backend can roll the hours up. */
  private void writeSixHours() {
    List<MetricWrite> writes = new ArrayList<>();
    for (MetricSeries s : List.of(COUNTER, GAUGE, OTHER)) {
      for (MetricPoint p : points(s)) {
        writes.add(new MetricWrite(s, p));
      }
    }
    await(metrics().write(writes));
    await(metrics().flush());
    List<MetricWrite> later = new ArrayList<>();
    for (MetricSeries s : List.of(COUNTER, GAUGE, OTHER)) {
      later.add(new MetricWrite(s, new NumberPoint(T0 - seconds(1), T0 + 10 * HOUR, 1e6)));
    }
    await(metrics().write(later));
    await(metrics().flush());
    awaitRolledUp(TENANT, T0 + 6 * HOUR);
    awaitRolledUp(OTHER_TENANT, T0 + 6 * HOUR);
  }

  /**
   * Flushes until the backend says the tenant's rollups are complete up to {@code until}: a backend
   * that rolls up in the background (SQLite compaction) gets there after some flushes.
   */
  private void awaitRolledUp(String tenant, long until) {
    for (int i = 0; i < maxFlushesToRollUp(); i++) {
      if (await(metrics().rollupsCompleteBefore(tenant)) >= until) {
        return;
      }
      await(metrics().flush());
    }
    throw new AssertionError("rollups of " + tenant + " never became complete up to " + until);
  }

  @Test
  void rawSamplesGoInWholeHoursAndTheRollupsStillAnswerForThem() {
    writeSixHours();
    TimeRange sixHours = new TimeRange(T0, T0 + 6 * HOUR);
    List<Rollup> minutesBefore = rollupsOf(COUNTER, RollupTier.ONE_MINUTE, sixHours);
    List<Rollup> hoursBefore = rollupsOf(COUNTER, RollupTier.ONE_HOUR, sixHours);
    List<Rollup> gaugeMinutesBefore = rollupsOf(GAUGE, RollupTier.ONE_MINUTE, sixHours);
    assertThat(minutesBefore).hasSize(360);
    assertThat(minutesBefore)
        .isEqualTo(Rollups.compute(RollupTier.ONE_MINUTE, null, points(COUNTER)));
    assertThat(hoursBefore).isEqualTo(Rollups.compute(RollupTier.ONE_HOUR, null, points(COUNTER)));
    RowSet raw = RowSet.all(RetentionSignal.METRIC_POINTS, TENANT);
    List<Bucket> predicted =
        await(retention().histogram(raw, T0 + 4 * HOUR + seconds(1_800), HOUR));

    Deleted deleted = await(retention().deleteBefore(raw, T0 + 4 * HOUR + seconds(1_800), 100_000));

    assertThat(deleted.cutoffUnixNanos()).as("back to the hour").isEqualTo(T0 + 4 * HOUR);
    assertThat(deleted.rows()).isEqualTo(2 * 4 * 360);
    assertThat(predicted.stream().mapToLong(Bucket::rows).sum()).isEqualTo(deleted.rows());
    assertThat(predicted).hasSize(4);
    assertThat(pointsOf(COUNTER, new TimeRange(T0, T0 + 4 * HOUR))).isEmpty();
    assertThat(pointsOf(COUNTER, new TimeRange(T0 + 4 * HOUR, T0 + 6 * HOUR))).hasSize(720);
    assertThat(rollupsOf(COUNTER, RollupTier.ONE_MINUTE, sixHours)).isEqualTo(minutesBefore);
    assertThat(rollupsOf(COUNTER, RollupTier.ONE_HOUR, sixHours)).isEqualTo(hoursBefore);
    assertThat(rollupsOf(GAUGE, RollupTier.ONE_MINUTE, sixHours)).isEqualTo(gaugeMinutesBefore);

    TimeRange firstHour = new TimeRange(T0, T0 + HOUR);
    assertThat(await(metrics().series(new SeriesQuery(TENANT, List.of(), firstHour))))
        .as("series are still found where only their rollups are left")
        .containsExactly(GAUGE, COUNTER);
    assertThat(await(metrics().metricNames(TENANT, firstHour)))
        .containsExactly("queue_depth", "requests");
    assertThat(await(metrics().pointsRemovedBefore(TENANT))).isEqualTo(T0 + 4 * HOUR);
    assertThat(await(retention().histogram(raw, T0 + 4 * HOUR, HOUR))).isEmpty();

    assertThat(pointsOf(OTHER, sixHours)).as("another tenant's samples").hasSize(6 * 360);
    assertThat(await(metrics().pointsRemovedBefore(OTHER_TENANT))).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void rawSamplesNeverGoWhereRollupsAreNotCompleteOrAtTheCutoff() {
    List<MetricWrite> writes = new ArrayList<>();
    for (MetricPoint p : points(COUNTER)) {
      writes.add(new MetricWrite(COUNTER, p));
    }
    await(metrics().write(writes));
    await(metrics().flush());
    long complete = await(metrics().rollupsCompleteBefore(TENANT));

    long asked = T0 + 5 * HOUR;
    Deleted deleted =
        await(
            retention()
                .deleteBefore(RowSet.all(RetentionSignal.METRIC_POINTS, TENANT), asked, 100_000));

    assertThat(deleted.cutoffUnixNanos()).isLessThanOrEqualTo(Math.min(asked, complete));
    assertThat(
            deleted.cutoffUnixNanos() == Long.MIN_VALUE
                || Math.floorMod(deleted.cutoffUnixNanos(), HOUR) == 0)
        .as("an hour boundary")
        .isTrue();
    long kept =
        points(COUNTER).stream()
            .filter(p -> p.timeUnixNanos() >= deleted.cutoffUnixNanos())
            .count();
    assertThat(pointsOf(COUNTER, TimeRange.ALL)).hasSize((int) kept);
    assertThat(deleted.rows()).isEqualTo(points(COUNTER).size() - kept);
  }

  @Test
  void rollupTiersAgeOnTheirOwn() {
    writeSixHours();
    TimeRange sixHours = new TimeRange(T0, T0 + 6 * HOUR);
    RowSet minutes = RowSet.all(RetentionSignal.METRIC_ROLLUPS_1M, TENANT);
    List<Bucket> predicted = await(retention().histogram(minutes, T0 + 2 * HOUR, HOUR));
    assertThat(predicted.stream().mapToLong(Bucket::rows).sum()).isEqualTo(2 * 120);

    Deleted deleted = await(retention().deleteBefore(minutes, T0 + 2 * HOUR, 100_000));

    assertThat(deleted.rows()).isPositive();
    List<Rollup> left = rollupsOf(COUNTER, RollupTier.ONE_MINUTE, sixHours);
    assertThat(left).hasSize(240);
    assertThat(left.getFirst().windowStartUnixNanos()).isEqualTo(T0 + 2 * HOUR);
    assertThat(rollupsOf(COUNTER, RollupTier.ONE_HOUR, sixHours)).hasSize(6);
    assertThat(pointsOf(COUNTER, sixHours)).hasSize(6 * 360);
    assertThat(await(retention().oldest(minutes))).hasValue(T0 + 2 * HOUR);
    assertThat(await(retention().oldest(RowSet.all(RetentionSignal.METRIC_ROLLUPS_1H, TENANT))))
        .hasValue(T0);
  }

  @Test
  void seriesLabelsNarrowTheSamplesThatGo() {
    writeSixHours();
    RowSet apiOnly =
        new RowSet(
            RetentionSignal.METRIC_POINTS,
            TENANT,
            new RetentionSelector("api", null, null, null),
            List.of());

    Deleted deleted = await(retention().deleteBefore(apiOnly, T0 + 3 * HOUR, 100_000));

    assertThat(deleted.rows()).isEqualTo(3 * 360);
    assertThat(pointsOf(GAUGE, new TimeRange(T0, T0 + 3 * HOUR))).hasSize(3 * 360);
    assertThat(pointsOf(COUNTER, new TimeRange(T0, T0 + 3 * HOUR))).isEmpty();
    assertThat(await(retention().oldest(apiOnly))).hasValue(T0 + 3 * HOUR);
    assertThat(
            await(
                metrics()
                    .series(
                        new SeriesQuery(
                            TENANT,
                            List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, "requests")),
                            new TimeRange(T0, T0 + HOUR)))))
        .containsExactly(COUNTER);
    assertThat(await(retention().tenants(RetentionSignal.METRIC_POINTS)))
        .containsExactly(TENANT, OTHER_TENANT);
    Map<Long, List<MetricPoint>> both =
        await(metrics().points(TENANT, List.of(COUNTER.id(), GAUGE.id()), TimeRange.ALL));
    assertThat(both.get(COUNTER.id())).hasSize(3 * 360 + 1);
    assertThat(both.get(GAUGE.id())).hasSize(6 * 360 + 1);
  }
}
