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
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads of more series than one statement reads the chunks of ({@link ChunkReader#SERIES_PER_READ})
 * go a batch at a time and answer every series.
 */
class PostgresManySeriesReadTest {
  private static final int SERIES = 2 * ChunkReader.SERIES_PER_READ + 321;

  private PostgresStorage storage;
  private final List<MetricSeries> series = new ArrayList<>();

  @BeforeEach
  void write() {
    storage = TestStorages.empty("many_series");
    List<MetricWrite> writes = new ArrayList<>();
    for (int i = 0; i < SERIES; i++) {
      MetricSeries s = Fixtures.series("queue_depth", MetricType.GAUGE, "queue", "q" + i);
      series.add(s);
      for (int p = 0; p < 3; p++) {
        writes.add(new MetricWrite(s, new NumberPoint(0, T0 + seconds(10L * p), i + p)));
      }
    }
    storage.metrics().write(writes).await().atMost(Duration.ofSeconds(60));
    storage.metrics().flush().await().atMost(Duration.ofSeconds(60));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void everySeriesIsFoundAndReadWhateverTheNumber() {
    TimeRange range = new TimeRange(T0, T0 + seconds(30));
    assertThat(
            storage
                .metrics()
                .series(new SeriesQuery(TENANT, List.of(), range))
                .await()
                .atMost(Duration.ofSeconds(60)))
        .hasSize(SERIES);

    Map<Long, List<MetricPoint>> points =
        storage
            .metrics()
            .points(TENANT, series.stream().map(MetricSeries::id).toList(), range)
            .await()
            .atMost(Duration.ofSeconds(60));
    assertThat(points).hasSize(SERIES);
    for (int i = 0; i < SERIES; i++) {
      int value = i;
      assertThat(points.get(series.get(i).id()))
          .extracting(p -> ((NumberPoint) p).value())
          .containsExactly((double) value, value + 1.0, value + 2.0);
    }
  }
}
