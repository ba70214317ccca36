package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import dev.sextant.storage.testkit.Fixtures;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollups on PostgreSQL are stored rows written by the flush, not computed when read: they answer
 * with the chunks gone, partials of consecutive flushes combine exactly, and a point arriving
 * before retention's raw floor is kept as a raw sample without touching the stored windows.
 */
class PostgresRollupTest {
  private static final String SCHEMA = "rollups";
  private static final long HOUR = seconds(3_600);
  private static final MetricSeries COUNTER =
      Fixtures.series("jobs_total", MetricType.COUNTER, "service.name", "worker");

  private PostgresStorage storage;

  @BeforeEach
  void open() {
    storage = TestStorages.empty(SCHEMA);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  /** A counter every 20 s over the hours, reset once in the second hour. */
  private static List<MetricPoint> counter(long from, long to) {
    List<MetricPoint> points = new ArrayList<>();
    double value = 0;
    for (long t = from; t < to; t += seconds(20)) {
      value = t == T0 + HOUR + seconds(600) ? 2 : value + 5;
      points.add(new NumberPoint(T0 - seconds(1), t, value));
    }
    return points;
  }

  private void write(List<MetricPoint> points) {
    List<MetricWrite> writes = new ArrayList<>();
    for (MetricPoint p : points) {
      writes.add(new MetricWrite(COUNTER, p));
    }
    await(storage.metrics().write(writes));
    await(storage.metrics().flush());
  }

  private List<Rollup> rollups(RollupTier tier) {
    return await(storage.metrics().rollups(TENANT, COUNTER.id(), tier, TimeRange.ALL));
  }

  @Test
  void windowsAreStoredRowsThatAnswerWithoutTheChunks() {
    List<MetricPoint> points = counter(T0, T0 + 3 * HOUR);
    // One flush per ten minutes of data: every window is a partial combined with the next.
    for (int from = 0; from < points.size(); from += 30) {
      write(points.subList(from, Math.min(points.size(), from + 30)));
    }

    // Every window but the newest of each tier is a table row; the newest is open, in the
    // frontier row.
    assertThat(TestStorages.count(storage, "SELECT count(*) FROM metric_rollups_1m"))
        .isEqualTo(179);
    assertThat(TestStorages.count(storage, "SELECT count(*) FROM metric_rollups_1h")).isEqualTo(2);
    assertThat(openWindows()).isEqualTo(1);
    TestStorages.sql(storage, "TRUNCATE metric_chunks");
    assertThat(rollups(RollupTier.ONE_MINUTE))
        .isEqualTo(Rollups.compute(RollupTier.ONE_MINUTE, null, points));
    assertThat(rollups(RollupTier.ONE_HOUR))
        .isEqualTo(Rollups.compute(RollupTier.ONE_HOUR, null, points));
  }

  @Test
  void aPointBeforeTheRawFloorStaysRawAndLeavesTheStoredWindows() {
    write(counter(T0, T0 + 3 * HOUR));
    deleteBefore(RetentionSignal.METRIC_POINTS, T0 + 2 * HOUR);
    List<Rollup> minutes = rollups(RollupTier.ONE_MINUTE);
    List<Rollup> hours = rollups(RollupTier.ONE_HOUR);
    assertThat(await(storage.metrics().pointsRemovedBefore(TENANT))).isEqualTo(T0 + 2 * HOUR);

    NumberPoint late = new NumberPoint(T0 - seconds(1), T0 + seconds(30 * 60 + 5), 1e9);
    write(List.of(late));

    assertThat(rollups(RollupTier.ONE_MINUTE)).isEqualTo(minutes);
    assertThat(rollups(RollupTier.ONE_HOUR)).isEqualTo(hours);
    assertThat(
            await(storage.metrics().points(TENANT, COUNTER.id(), new TimeRange(T0, T0 + 2 * HOUR))))
        .as("acknowledged, so stored")
        .containsExactly(late);
  }

  @Test
  void aReplacedPointAfterTheFloorIsRecomputedWithThePreviousSampleFromTheRollups() {
    List<MetricPoint> points = counter(T0, T0 + 3 * HOUR);
    write(points);
    deleteBefore(RetentionSignal.METRIC_POINTS, T0 + 2 * HOUR);

    // Replaces the first sample after the floor: its increase depends on the last one before it,
    // whose raw sample is gone.
    int index = (int) ((2 * HOUR) / seconds(20));
    NumberPoint replaced = new NumberPoint(T0 - seconds(1), T0 + 2 * HOUR, 10_000);
    write(List.of(replaced));
    List<MetricPoint> expected = new ArrayList<>(points);
    expected.set(index, replaced);

    TimeRange afterFloor = new TimeRange(T0 + 2 * HOUR, T0 + 3 * HOUR);
    assertThat(
            await(
                storage.metrics().rollups(TENANT, COUNTER.id(), RollupTier.ONE_MINUTE, afterFloor)))
        .isEqualTo(
            Rollups.compute(
                RollupTier.ONE_MINUTE,
                expected.get(index - 1),
                expected.subList(index, expected.size())));
    assertThat(rollups(RollupTier.ONE_HOUR))
        .isEqualTo(Rollups.compute(RollupTier.ONE_HOUR, null, expected));
  }

  /** Retention of the signal's rows of the tenant before the cutoff. */
  private void deleteBefore(RetentionSignal signal, long cutoff) {
    await(storage.retention().deleteBefore(RowSet.all(signal, TENANT), cutoff, 100_000));
  }

  /** Frontier rows keeping an open minute and an open hour window. */
  private long openWindows() {
    return TestStorages.count(
        storage,
        "SELECT count(*) FROM metric_rollup_frontiers WHERE minute IS NOT NULL"
            + " AND hour IS NOT NULL");
  }

  @Test
  void theOpenWindowIsKeptByTheFrontierRowAndClosesIntoTheTable() {
    List<MetricPoint> points = counter(T0, T0 + seconds(60));
    write(points);
    assertThat(TestStorages.count(storage, "SELECT count(*) FROM metric_rollups_1m")).isZero();
    assertThat(TestStorages.count(storage, "SELECT count(*) FROM metric_rollups_1h")).isZero();
    assertThat(openWindows()).isEqualTo(1);
    assertThat(rollups(RollupTier.ONE_MINUTE))
        .isEqualTo(Rollups.compute(RollupTier.ONE_MINUTE, null, points));

    // The next points skip a minute: the open window closes untouched, as the frontier kept it.
    List<MetricPoint> later = counter(T0 + seconds(120), T0 + seconds(180));
    write(later);
    List<MetricPoint> all = new ArrayList<>(points);
    all.addAll(later);
    assertThat(TestStorages.count(storage, "SELECT count(*) FROM metric_rollups_1m")).isOne();
    assertThat(rollups(RollupTier.ONE_MINUTE))
        .isEqualTo(Rollups.compute(RollupTier.ONE_MINUTE, null, all));
    assertThat(rollups(RollupTier.ONE_HOUR))
        .isEqualTo(Rollups.compute(RollupTier.ONE_HOUR, null, all));
    TimeRange secondMinute = new TimeRange(T0 + seconds(60), T0 + seconds(180));
    assertThat(
            await(
                storage
                    .metrics()
                    .rollups(TENANT, COUNTER.id(), RollupTier.ONE_MINUTE, secondMinute)))
        .as("only the open window starts in the range")
        .isEqualTo(Rollups.compute(RollupTier.ONE_MINUTE, points.getLast(), later));

    // A late point in the closed window recomputes it; the open one stays open.
    NumberPoint late = new NumberPoint(T0 - seconds(1), T0 + seconds(30) + 1, 12.5);
    write(List.of(late));
    all.add(2, late);
    assertThat(rollups(RollupTier.ONE_MINUTE))
        .isEqualTo(Rollups.compute(RollupTier.ONE_MINUTE, null, all));
    assertThat(openWindows()).isEqualTo(1);
  }

  @Test
  void retentionOfATierTakesItsOpenWindowToo() {
    write(counter(T0, T0 + 2 * HOUR));
    deleteBefore(RetentionSignal.METRIC_ROLLUPS_1M, T0 + 3 * HOUR);
    assertThat(rollups(RollupTier.ONE_MINUTE)).isEmpty();
    assertThat(rollups(RollupTier.ONE_HOUR)).hasSize(2);
    assertThat(
            TestStorages.count(
                storage, "SELECT count(*) FROM metric_rollup_frontiers WHERE minute IS NULL"))
        .isOne();

    await(storage.metrics().deleteOlderThan(T0 + 3 * HOUR));
    assertThat(rollups(RollupTier.ONE_HOUR)).isEmpty();
  }

  @Test
  void aSeriesWhoseOnlyDataIsItsOpenWindowsKeepsItsRow() {
    List<MetricPoint> points = counter(T0, T0 + seconds(60));
    write(points);
    deleteBefore(RetentionSignal.METRIC_POINTS, T0 + 2 * HOUR);

    assertThat(TestStorages.count(storage, "SELECT count(*) FROM metric_chunks")).isZero();
    assertThat(TestStorages.count(storage, "SELECT count(*) FROM metric_series")).isOne();
    assertThat(rollups(RollupTier.ONE_MINUTE))
        .isEqualTo(Rollups.compute(RollupTier.ONE_MINUTE, null, points));
    assertThat(rollups(RollupTier.ONE_HOUR))
        .isEqualTo(Rollups.compute(RollupTier.ONE_HOUR, null, points));
  }

  @Test
  void aFlushOfManySeriesStoresThemABatchAtATime() {
    PostgresStorage batched = TestStorages.builder(SCHEMA).metricFlushBatchSeries(7).build();
    batched.start();
    try {
      List<MetricSeries> series = new ArrayList<>();
      List<MetricWrite> writes = new ArrayList<>();
      List<MetricPoint> points = counter(T0, T0 + seconds(300));
      for (int i = 0; i < 30; i++) {
        MetricSeries s =
            Fixtures.series("jobs_total", MetricType.COUNTER, "worker", Integer.toString(i));
        series.add(s);
        points.forEach(p -> writes.add(new MetricWrite(s, p)));
      }
      await(batched.metrics().write(writes));
      await(batched.metrics().flush());

      assertThat(TestStorages.count(batched, "SELECT count(*) FROM metric_series")).isEqualTo(30);
      assertThat(
              await(
                  batched
                      .metrics()
                      .series(
                          new dev.sextant.storage.query.SeriesQuery(
                              TENANT, List.of(), TimeRange.ALL))))
          .containsExactlyInAnyOrderElementsOf(series);
      for (MetricSeries s : series) {
        assertThat(await(batched.metrics().points(TENANT, s.id(), TimeRange.ALL)))
            .isEqualTo(points);
        assertThat(
                await(
                    batched
                        .metrics()
                        .rollups(TENANT, s.id(), RollupTier.ONE_MINUTE, TimeRange.ALL)))
            .isEqualTo(Rollups.compute(RollupTier.ONE_MINUTE, null, points));
      }
    } finally {
      batched.close();
    }
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(60));
  }
}
