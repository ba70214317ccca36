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
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
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
