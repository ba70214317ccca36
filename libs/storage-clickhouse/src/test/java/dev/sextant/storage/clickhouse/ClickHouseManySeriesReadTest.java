package dev.sextant.storage.clickhouse;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A selector of more series than one statement's id list carries ({@link QueryParameters#MAX_IDS},
 * as ClickHouse bounds a parameter's size): the points and latest points of 20,000 series are read
 * in several statements, and every series is answered.
 */
class ClickHouseManySeriesReadTest {
  private static final int SERIES = 4 * QueryParameters.MAX_IDS + 321;
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final TimeRange RANGE = new TimeRange(T0, T0 + seconds(30));

  private static final SeriesQuery SELECTOR =
      new SeriesQuery(
          TENANT, List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, "queue_depth")), RANGE);

  private static ClickHouseStorage storage;
  private static final List<MetricSeries> series = new ArrayList<>();

  @BeforeAll
  static void write() {
    storage =
        ClickHouseStorage.builder()
            .endpoint(ChdbServer.shared().endpoint())
            .database("many_series_" + ProcessHandle.current().pid())
            .build();
    storage.start();
    List<MetricWrite> writes = new ArrayList<>();
    for (int i = 0; i < SERIES; i++) {
      MetricSeries s = Fixtures.series("queue_depth", MetricType.GAUGE, "queue", "q" + i);
      series.add(s);
      writes.add(new MetricWrite(s, new NumberPoint(0, T0 + seconds(i % 20), i)));
      writes.add(new MetricWrite(s, new NumberPoint(0, T0 + seconds(20 + i % 10), i + 1)));
    }
    // One write per 20,000 points, as the aggregator sends them.
    for (int from = 0; from < writes.size(); from += 20_000) {
      storage
          .metrics()
          .write(writes.subList(from, Math.min(writes.size(), from + 20_000)))
          .await()
          .atMost(PATIENCE);
    }
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Test
  void aSelectorOfManySeriesGetsEverySeriesWithItsPoints() {
    List<SeriesPoints> read =
        storage.metrics().seriesPoints(SELECTOR, s -> true).await().atMost(PATIENCE);

    assertThat(read).hasSize(SERIES);
    Map<Long, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < SERIES; i++) {
      index.put(series.get(i).id(), i);
    }
    for (SeriesPoints sp : read) {
      int i = index.get(sp.series().id());
      assertThat(sp.series()).isEqualTo(series.get(i));
      assertThat(sp.points())
          .extracting(p -> ((NumberPoint) p).value())
          .containsExactly((double) i, i + 1.0);
    }
  }

  @Test
  void seriesTheReaderRefusesAreLeftOutAndTheOthersAnswered() {
    List<SeriesPoints> read =
        storage
            .metrics()
            .seriesPoints(SELECTOR, s -> s.labels().get("queue").endsWith("7"))
            .await()
            .atMost(PATIENCE);

    assertThat(read).hasSize(SERIES / 10 + (SERIES % 10 > 7 ? 1 : 0));
    assertThat(read).allSatisfy(sp -> assertThat(sp.series().labels().get("queue")).endsWith("7"));
  }

  @Test
  void theLatestPointOfManySeriesIsRead() {
    Map<Long, MetricPoint> latest =
        storage
            .metrics()
            .latestPoints(TENANT, series.stream().map(MetricSeries::id).toList())
            .await()
            .atMost(PATIENCE);

    assertThat(latest).hasSize(SERIES);
    for (int i = 0; i < SERIES; i += 997) {
      assertThat(((NumberPoint) latest.get(series.get(i).id())).value()).isEqualTo(i + 1.0);
    }
  }

  @Test
  void pointsOfManySeriesByIdAreAllRead() {
    Map<Long, List<MetricPoint>> points =
        storage
            .metrics()
            .points(TENANT, series.stream().map(MetricSeries::id).toList(), RANGE)
            .await()
            .atMost(PATIENCE);

    assertThat(points).hasSize(SERIES);
    assertThat(points.get(series.get(SERIES - 1).id()))
        .extracting(p -> ((NumberPoint) p).value())
        .containsExactly(SERIES - 1.0, (double) SERIES);
  }
}
