package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Values that would change a statement if they were ever concatenated into SQL, LIKE patterns or
 * JSON paths: as attribute keys and values, service names, log body substrings, label names and
 * values. Every one must be stored and matched as the data it is, and nothing else must match.
 */
class PostgresHostileInputTest {
  private static final String SCHEMA = "hostile";
  private static final long HOUR = 3_600_000_000_000L;
  private static final List<String> HOSTILE =
      List.of(
          "'; DROP TABLE spans; --",
          "x' OR '1'='1",
          "\" OR 1=1 --",
          "$1",
          "a\\'b",
          "%",
          "_",
          "$.k ? (@ == 1)",
          "{\"k\": 1}",
          "?|",
          "tab\tnew\nline\u0000nul");

  private PostgresStorage storage;

  @BeforeEach
  void open() {
    storage = TestStorages.empty(SCHEMA);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void attributeKeysValuesAndServicesAreOnlyData() {
    for (int i = 0; i < HOSTILE.size(); i++) {
      String hostile = HOSTILE.get(i);
      await(
          storage
              .spans()
              .write(
                  List.of(
                      SpanBuilder.span(Fixtures.traceId(i + 1), Fixtures.spanId(1))
                          .start(T0 + i)
                          .service(hostile)
                          .attribute(hostile, hostile)
                          .build())));
    }
    for (int i = 0; i < HOSTILE.size(); i++) {
      String hostile = HOSTILE.get(i);
      assertThat(
              traces(
                  new TraceQuery(
                      TENANT, null, null, null, null, null, null, Map.of(hostile, hostile), 100)))
          .as("attribute %s", hostile)
          .containsExactly(Fixtures.traceId(i + 1));
      assertThat(
              traces(new TraceQuery(TENANT, null, hostile, null, null, null, null, Map.of(), 100)))
          .as("service %s", hostile)
          .containsExactly(Fixtures.traceId(i + 1));
      assertThat(
              await(storage.spans().trace(TENANT, Fixtures.traceId(i + 1))).getFirst().attributes())
          .containsEntry(hostile, hostile);
    }
    assertThat(traces(TraceQuery.all(TENANT, 100))).hasSize(HOSTILE.size());
  }

  @Test
  void logBodySubstringsAreNotPatterns() {
    List<String> bodies = List.of("100% done", "a_b", "plain", "it's", "back\\slash");
    for (int i = 0; i < bodies.size(); i++) {
      await(
          storage
              .logs()
              .write(
                  List.of(LogBuilder.log(T0 + i).body(bodies.get(i)).attribute("n", i).build())));
    }
    assertThat(bodiesContaining("%")).containsExactly("100% done");
    assertThat(bodiesContaining("_")).containsExactly("a_b");
    assertThat(bodiesContaining("'")).containsExactly("it's");
    assertThat(bodiesContaining("\\")).containsExactly("back\\slash");
    assertThat(bodiesContaining("' OR '1'='1")).isEmpty();
    assertThat(bodiesContaining("")).hasSize(bodies.size());
  }

  @Test
  void labelNamesValuesAndMatchersAreOnlyData() {
    for (int i = 0; i < HOSTILE.size(); i++) {
      String hostile = HOSTILE.get(i).replace("\u0000", "");
      MetricSeries series =
          Fixtures.series("hostile_total", MetricType.COUNTER, "k" + i, hostile, "v", hostile);
      await(
          storage
              .metrics()
              .write(List.of(new MetricWrite(series, new NumberPoint(T0, T0 + i, i)))));
    }
    await(storage.metrics().flush());
    for (int i = 0; i < HOSTILE.size(); i++) {
      String hostile = HOSTILE.get(i).replace("\u0000", "");
      String key = "k" + i;
      assertThat(series(LabelMatcher.equal("v", hostile)))
          .as("v=%s", hostile)
          .extracting(s -> s.labels().get(key))
          .containsExactly(hostile);
      assertThat(series(LabelMatcher.of("v", LabelMatcher.Type.NOT_EQUAL, hostile)))
          .hasSize(HOSTILE.size() - 1);
    }
    assertThat(series(LabelMatcher.of("v", LabelMatcher.Type.REGEX, ".*'.*")))
        .extracting(s -> s.labels().get("v"))
        .containsExactlyInAnyOrder("'; DROP TABLE spans; --", "x' OR '1'='1", "a\\'b");
    assertThat(series(LabelMatcher.equal("v", "' OR '1'='1"))).isEmpty();
    assertThat(await(storage.metrics().metricNames(TENANT, TimeRange.ALL)))
        .containsExactly("hostile_total");
  }

  @Test
  void retentionSelectorsAndTenantsOfMetricsAreOnlyData() {
    String tenant = "t'; DROP TABLE metric_chunks; --";
    List<MetricSeries> all = new ArrayList<>();
    List<MetricWrite> writes = new ArrayList<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      String hostile = HOSTILE.get(i).replace("\u0000", "");
      MetricSeries series =
          Fixtures.series(tenant, "hostile_total", MetricType.COUNTER, "service.name", hostile);
      all.add(series);
      for (long t = 0; t < 4; t++) {
        writes.add(new MetricWrite(series, new NumberPoint(T0, T0 + t * HOUR, t)));
      }
    }
    await(storage.metrics().write(writes));
    await(storage.metrics().flush());

    for (int i = 0; i < HOSTILE.size(); i++) {
      MetricSeries series = all.get(i);
      assertThat(
              await(
                  storage
                      .metrics()
                      .rollups(tenant, series.id(), RollupTier.ONE_HOUR, TimeRange.ALL)))
          .hasSize(4);
      RowSet one =
          new RowSet(
              RetentionSignal.METRIC_POINTS,
              tenant,
              new RetentionSelector(series.labels().get("service.name"), null, null, null),
              List.of());
      assertThat(await(storage.retention().deleteBefore(one, T0 + 2 * HOUR, 1_000)).rows())
          .as("service %s", series.labels().get("service.name"))
          .isEqualTo(2);
      assertThat(await(storage.metrics().points(tenant, series.id(), TimeRange.ALL))).hasSize(2);
      RowSet hours =
          new RowSet(RetentionSignal.METRIC_ROLLUPS_1H, tenant, one.include(), List.of());
      assertThat(await(storage.retention().deleteBefore(hours, T0 + HOUR, 1_000)).rows()).isOne();
    }
    assertThat(await(storage.retention().tenants(RetentionSignal.METRIC_POINTS)))
        .containsExactly(tenant);
    for (MetricSeries series : all) {
      assertThat(await(storage.metrics().points(tenant, series.id(), TimeRange.ALL))).hasSize(2);
      assertThat(
              await(
                  storage
                      .metrics()
                      .rollups(tenant, series.id(), RollupTier.ONE_HOUR, TimeRange.ALL)))
          .hasSize(3);
    }
  }

  private List<String> traces(TraceQuery query) {
    return await(storage.spans().search(query)).stream().map(TraceSummary::traceId).toList();
  }

  private List<String> bodiesContaining(String text) {
    return await(
            storage
                .logs()
                .search(new LogQuery(TENANT, null, null, null, null, Map.of(), text, 100)))
        .stream()
        .map(LogRecord::bodyText)
        .toList();
  }

  private List<MetricSeries> series(LabelMatcher matcher) {
    return await(
        storage
            .metrics()
            .series(
                new SeriesQuery(
                    TENANT,
                    List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, "hostile_total"), matcher),
                    TimeRange.ALL)));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(60));
  }
}
