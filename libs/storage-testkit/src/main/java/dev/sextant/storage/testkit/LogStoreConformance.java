package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static dev.sextant.storage.testkit.Fixtures.spanId;
import static dev.sextant.storage.testkit.Fixtures.traceId;
import static dev.sextant.storage.testkit.LogBuilder.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log store contract: roundtrip, search by each criterion, limit, order, deletion. */
public abstract class LogStoreConformance extends StorageConformance {

  private LogStore logs() {
    return storage().logs();
  }

  private void write(LogRecord... records) {
    await(logs().write(List.of(records)));
  }

  private List<LogRecord> search(LogQueryBuilder query) {
    return await(logs().search(query.build()));
  }

  private LogQueryBuilder query() {
    return new LogQueryBuilder();
  }

  // ---------------------------------------------------------------- write and read back

  @Test
  void writtenRecordReadsBackWithEveryField() {
    LogRecord record =
        log(T0 + 123_456_789L)
            .observed(T0 + 223_456_789L)
            .severity(17, "ERROR")
            .body("payment failed: \"card declined\"\nretrying")
            .service("payments")
            .scope("payments.charge")
            .trace(traceId(7), spanId(7))
            .resource("service.version", "1.2.3")
            .resource("host.cores", 8L)
            .attributes(Fixtures.everyValueType())
            .droppedAttributesCount(3)
            .build();

    write(record);

    assertThat(search(query())).containsExactly(record);
  }

  @Test
  void structuredBodiesKeepTheirShapeAndTypes() {
    Map<String, Object> mapBody = new LinkedHashMap<>();
    mapBody.put("event", "agent.step");
    mapBody.put("tokens", 512L);
    mapBody.put("cost", 0.0031);
    mapBody.put("ok", true);
    mapBody.put("tools", List.of("search", Map.of("name", "calc")));
    LogRecord map = log(T0 + 3).body(mapBody).build();
    LogRecord list = log(T0 + 2).body(List.of("a", 1L, 2.5, false)).build();
    LogRecord number = log(T0 + 1).body(42L).build();
    LogRecord nan = log(T0).body(Double.NaN).build();

    write(map, list, number, nan);

    List<LogRecord> found = search(query());
    assertThat(found).containsExactly(map, list, number, nan);
    assertThat(found.get(2).body()).isInstanceOf(Long.class);
  }

  @Test
  void emptyWriteCompletes() {
    await(logs().write(List.of()));

    assertThat(search(query())).isEmpty();
  }

  // ---------------------------------------------------------------- search

  /**
   * Five records, one second apart:
   *
   * <pre>
   * T0+1s  DEBUG  api      "cache miss for user_42"            trace 1
   * T0+2s  INFO   api      "request took 100% of the budget"   trace 1   http.route=/checkout
   * T0+3s  WARN   worker   "queue at 1000 items"                          env (resource) staging
   * T0+4s  ERROR  worker   "Error: job_7 failed"               trace 2   retry=true, attempt=2
   * T0+5s  FATAL  api      "userX42 logged out"                           env attribute shadows
   * </pre>
   */
  private void writeSearchFixture() {
    write(
        log(T0 + seconds(1))
            .severity(5, "DEBUG")
            .service("api")
            .body("cache miss for user_42")
            .trace(traceId(1), spanId(1))
            .resource("env", "prod")
            .build(),
        log(T0 + seconds(2))
            .severity(9, "INFO")
            .service("api")
            .body("request took 100% of the budget")
            .trace(traceId(1), spanId(2))
            .resource("env", "prod")
            .attribute("http.route", "/checkout")
            .build(),
        log(T0 + seconds(3))
            .severity(13, "WARN")
            .service("worker")
            .body("queue at 1000 items")
            .resource("env", "staging")
            .build(),
        log(T0 + seconds(4))
            .severity(17, "ERROR")
            .service("worker")
            .body("Error: job_7 failed")
            .trace(traceId(2), spanId(1))
            .resource("env", "staging")
            .attribute("retry", true)
            .attribute("attempt", 2L)
            .attribute("backoff.seconds", 1.5)
            .build(),
        log(T0 + seconds(5))
            .severity(21, "FATAL")
            .service("api")
            .body("userX42 logged out")
            .resource("env", "prod")
            .attribute("env", "canary")
            .build());
  }

  /** The seconds after T0 of the records found, in the order returned. */
  private List<Long> found(LogQueryBuilder query) {
    return search(query).stream().map(r -> (r.timeUnixNanos() - T0) / seconds(1)).toList();
  }

  @Test
  void searchWithoutCriteriaFindsEveryRecordNewestFirst() {
    writeSearchFixture();

    assertThat(found(query())).containsExactly(5L, 4L, 3L, 2L, 1L);
  }

  @Test
  void searchByTimeRangeIsHalfOpen() {
    writeSearchFixture();

    assertThat(found(query().range(T0 + seconds(2), T0 + seconds(4)))).containsExactly(3L, 2L);
    assertThat(found(query().range(T0 + seconds(2), T0 + seconds(4) + 1)))
        .containsExactly(4L, 3L, 2L);
    assertThat(found(query().range(T0, T0 + seconds(1)))).isEmpty();
  }

  @Test
  void searchByMinimumSeverityIsInclusive() {
    writeSearchFixture();

    assertThat(found(query().minSeverity(13))).containsExactly(5L, 4L, 3L);
    assertThat(found(query().minSeverity(17))).containsExactly(5L, 4L);
    assertThat(found(query().minSeverity(18))).containsExactly(5L);
    assertThat(found(query().minSeverity(1))).containsExactly(5L, 4L, 3L, 2L, 1L);
  }

  @Test
  void searchByTraceId() {
    writeSearchFixture();

    assertThat(found(query().traceId(traceId(1)))).containsExactly(2L, 1L);
    assertThat(found(query().traceId(traceId(2)))).containsExactly(4L);
    assertThat(found(query().traceId(traceId(3)))).isEmpty();
  }

  @Test
  void searchByServiceName() {
    writeSearchFixture();

    assertThat(found(query().service("worker"))).containsExactly(4L, 3L);
    assertThat(found(query().service("api"))).containsExactly(5L, 2L, 1L);
    assertThat(found(query().service("Worker"))).isEmpty();
  }

  @Test
  void searchByAttribute() {
    writeSearchFixture();

    assertThat(found(query().attribute("http.route", "/checkout"))).containsExactly(2L);
    assertThat(found(query().attribute("retry", "true"))).containsExactly(4L);
    assertThat(found(query().attribute("retry", "1"))).isEmpty();
    assertThat(found(query().attribute("attempt", "2"))).containsExactly(4L);
    assertThat(found(query().attribute("attempt", "2.0"))).isEmpty();
    assertThat(found(query().attribute("backoff.seconds", "1.5"))).containsExactly(4L);
    assertThat(found(query().attribute("missing", "x"))).isEmpty();
  }

  @Test
  void searchByResourceAttributeUnlessTheRecordHasTheKey() {
    writeSearchFixture();

    assertThat(found(query().attribute("env", "staging"))).containsExactly(4L, 3L);
    assertThat(found(query().attribute("env", "prod"))).containsExactly(2L, 1L);
    assertThat(found(query().attribute("env", "canary"))).containsExactly(5L);
  }

  @Test
  void searchByBodySubstringIsCaseSensitive() {
    writeSearchFixture();

    assertThat(found(query().bodyContains("failed"))).containsExactly(4L);
    assertThat(found(query().bodyContains("Error"))).containsExactly(4L);
    assertThat(found(query().bodyContains("error"))).isEmpty();
    assertThat(found(query().bodyContains("u"))).containsExactly(5L, 3L, 2L, 1L);
  }

  @Test
  void bodySubstringTreatsLikeWildcardsLiterally() {
    writeSearchFixture();

    // As LIKE patterns, "0%" would match "1000 items" and "r_4" would match "userX42".
    assertThat(found(query().bodyContains("0%"))).containsExactly(2L);
    assertThat(found(query().bodyContains("0% o"))).containsExactly(2L);
    assertThat(found(query().bodyContains("r_4"))).containsExactly(1L);
    assertThat(found(query().bodyContains("b_7"))).containsExactly(4L);
    assertThat(found(query().bodyContains("%"))).containsExactly(2L);
    assertThat(found(query().bodyContains("_"))).containsExactly(4L, 1L);
    assertThat(found(query().bodyContains("\\"))).isEmpty();
    assertThat(found(query().bodyContains("[a-z]"))).isEmpty();
  }

  @Test
  void bodySubstringSearchesTheTextOfStructuredBodies() {
    write(
        log(T0 + 2).body(Map.of("event", "tool_call")).build(), log(T0 + 1).body("plain").build());

    assertThat(search(query().bodyContains("tool_call")))
        .extracting(LogRecord::timeUnixNanos)
        .containsExactly(T0 + 2);
  }

  @Test
  void searchWithCombinedCriteria() {
    writeSearchFixture();

    assertThat(found(query().service("api").minSeverity(9))).containsExactly(5L, 2L);
    assertThat(
            found(
                query()
                    .service("api")
                    .traceId(traceId(1))
                    .minSeverity(9)
                    .bodyContains("100%")
                    .attribute("env", "prod")
                    .range(T0, T0 + seconds(3))))
        .containsExactly(2L);
    assertThat(found(query().service("worker").traceId(traceId(1)))).isEmpty();
  }

  @Test
  void searchLimitKeepsTheNewestRecords() {
    writeSearchFixture();

    assertThat(found(query().limit(2))).containsExactly(5L, 4L);
    assertThat(found(query().service("api").limit(1))).containsExactly(5L);
  }

  @Test
  void searchFindsNothingInAnEmptyStore() {
    assertThat(found(query())).isEmpty();
  }

  // ---------------------------------------------------------------- retention

  @Test
  void deleteOlderThanRemovesRecordsBeforeTheCutoffOnly() {
    writeSearchFixture();
    write(LogBuilder.log(Fixtures.OTHER_TENANT, T0).build());

    long deleted = await(logs().deleteOlderThan(T0 + seconds(3)));

    assertThat(deleted).isEqualTo(3);
    assertThat(found(query())).containsExactly(5L, 4L, 3L);
    assertThat(await(logs().search(LogQuery.all(Fixtures.OTHER_TENANT, 10)))).isEmpty();
    assertThat(await(logs().deleteOlderThan(T0 + seconds(3)))).isZero();
  }

  @Test
  void deleteOlderThanRemovesLargeAmountsCompletely() {
    List<LogRecord> batch = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      batch.add(log(T0 + i).build());
    }
    batch.add(log(T0 + seconds(1)).body("kept").build());
    await(logs().write(batch));

    assertThat(await(logs().deleteOlderThan(T0 + seconds(1)))).isEqualTo(12_000);
    assertThat(search(query().limit(LogQuery.MAX_LIMIT)))
        .extracting(LogRecord::body)
        .containsExactly("kept");
  }

  /** A fluent {@link LogQuery} for {@link Fixtures#TENANT}. */
  private static final class LogQueryBuilder {
    private TimeRange range = TimeRange.ALL;
    private Integer minSeverity;
    private String traceId;
    private String service;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private String bodyContains;
    private int limit = 100;

    LogQueryBuilder range(long start, long end) {
      range = new TimeRange(start, end);
      return this;
    }

    LogQueryBuilder minSeverity(int severity) {
      minSeverity = severity;
      return this;
    }

    LogQueryBuilder traceId(String traceId) {
      this.traceId = traceId;
      return this;
    }

    LogQueryBuilder service(String service) {
      this.service = service;
      return this;
    }

    LogQueryBuilder attribute(String key, String value) {
      attributes.put(key, value);
      return this;
    }

    LogQueryBuilder bodyContains(String text) {
      bodyContains = text;
      return this;
    }

    LogQueryBuilder limit(int limit) {
      this.limit = limit;
      return this;
    }

    LogQuery build() {
      return new LogQuery(
          TENANT, range, minSeverity, traceId, service, attributes, bodyContains, limit);
    }
  }
}
