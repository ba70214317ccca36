package dev.sextant.storage.clickhouse;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.StepSampling;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse leaves out exactly what {@link StepSampling#needed} leaves out (the SQL and the
 * reference agree, so no point a selector uses stays behind): random series of numbers with several
 * points in one millisecond, rewritten points, stale markers and long gaps, read with instant and
 * range samplings of many steps, windows and end times. A series left with no point is left out.
 */
class ClickHouseStepSamplingTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final long MS = 1_000_000L;
  private static final long T0_MS = T0 / MS;
  private static final TimeRange RANGE = new TimeRange(T0 - 700_000 * MS, T0 + 7_200_000 * MS);
  private static final SeriesQuery SELECTOR =
      new SeriesQuery(TENANT, List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, "m")), RANGE);

  private static ClickHouseStorage storage;
  private static final Map<MetricSeries, List<MetricPoint>> written = new LinkedHashMap<>();

  @BeforeAll
  static void write() {
    storage =
        ClickHouseStorage.builder()
            .endpoint(ChdbServer.shared().endpoint())
            .database("step_sampling_" + ProcessHandle.current().pid())
            .build();
    storage.start();
    Random random = new Random(11);
    List<MetricWrite> writes = new ArrayList<>();
    List<MetricWrite> rewrites = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      MetricType type = i % 2 == 0 ? MetricType.GAUGE : MetricType.COUNTER;
      MetricSeries s = Fixtures.series("m", type, "i", Integer.toString(i));
      long nanos = T0 - 600_000 * MS;
      int n = 1 + random.nextInt(300);
      for (int k = 0; k < n; k++) {
        nanos +=
            switch (random.nextInt(10)) {
              case 0 -> 1 + random.nextInt(999_999);
              case 1 -> 600_000 * MS;
              default -> (1 + random.nextInt(30_000)) * MS + random.nextInt(1_000_000);
            };
        double value =
            random.nextInt(20) == 0
                ? Double.longBitsToDouble(0x7ff0000000000002L)
                : random.nextInt(1000);
        writes.add(new MetricWrite(s, new NumberPoint(0, nanos, value)));
        if (random.nextInt(10) == 0) {
          rewrites.add(new MetricWrite(s, new NumberPoint(0, nanos, -value)));
        }
      }
    }
    await(storage.metrics().write(writes));
    await(storage.metrics().write(rewrites)); // a later write of a point replaces it
    await(storage.metrics().flush());
    for (SeriesPoints sp : await(storage.metrics().seriesPoints(SELECTOR, s -> true))) {
      written.put(sp.series(), sp.points());
    }
    assertThat(written).hasSize(60);
  }

  @AfterAll
  static void stop() {
    storage.close();
  }

  @Test
  void sampledReadsAreExactlyTheNeededPoints() {
    Random random = new Random(5);
    long readPoints = 0;
    long allPoints = 0;
    for (int round = 0; round < 40; round++) {
      long step = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(600_000);
      long window = 1 + random.nextInt(400_000);
      long last = T0_MS + random.nextInt(6_000_000);
      for (StepSampling sampling :
          List.of(
              StepSampling.latest(last, step, window), StepSampling.windows(last, step, window))) {
        Map<MetricSeries, List<MetricPoint>> expected = new LinkedHashMap<>();
        written.forEach(
            (series, points) -> {
              List<MetricPoint> needed = sampling.needed(points);
              if (!needed.isEmpty()) {
                expected.put(series, needed);
              }
            });
        Map<MetricSeries, List<MetricPoint>> read = new LinkedHashMap<>();
        for (SeriesPoints sp :
            await(storage.metrics().seriesPoints(SELECTOR, sampling, s -> true))) {
          read.put(sp.series(), sp.points());
          readPoints += sp.points().size();
        }
        allPoints += written.values().stream().mapToInt(List::size).sum();
        assertThat(read).as("round %d, %s", round, sampling).isEqualTo(expected);
        assertThat(List.copyOf(read.keySet()))
            .as("series in order")
            .isEqualTo(List.copyOf(expected.keySet()));
      }
    }
    // The samplings leave most points out, or exactness would prove little.
    assertThat(readPoints).as("points read sampled vs all").isLessThan(allPoints / 3);
  }

  /**
   * A series of numbers is read with its number columns only; one found with a point of another
   * kind among the rows read (the model does not forbid it) is read again, whole, instead of losing
   * that point.
   */
  @Test
  void aSeriesOfNumbersWithAPointOfAnotherKindIsReadWhole() {
    MetricSeries odd = Fixtures.series("odd", MetricType.GAUGE);
    List<MetricPoint> points =
        List.of(
            new NumberPoint(0, T0 + 1_000 * MS, 1),
            new HistogramPoint(0, T0 + 2_000 * MS, 2, 3, 1, 2, new double[] {1}, new long[] {1, 1}),
            new NumberPoint(0, T0 + 3_000 * MS, 3));
    await(storage.metrics().write(points.stream().map(p -> new MetricWrite(odd, p)).toList()));
    await(storage.metrics().flush());
    SeriesQuery query =
        new SeriesQuery(
            TENANT, List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, "odd")), RANGE);
    for (StepSampling sampling :
        List.of(StepSampling.ALL, StepSampling.windows(T0_MS + 3_000, 0, 300_000))) {
      assertThat(await(storage.metrics().seriesPoints(query, sampling, s -> true)))
          .as("%s", sampling)
          .containsExactly(new SeriesPoints(odd, points));
    }
  }

  private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
    return uni.await().atMost(PATIENCE);
  }
}
