package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.SpanBuilder;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Upgrades: from schema version 2, a span stored running before version 3 is flagged by the
 * migration, so it is listed as running and an ended record still replaces it; from version 4,
 * metrics stored before rollups were are rolled up in the background after start (reads answer
 * alike before, during and after; a backfill stopped half way goes on at the next start), and later
 * writes add onto those windows.
 */
class PostgresUpgradeTest {
  private static final String SCHEMA = "upgrade";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void version2SpansAreFlaggedRunningByVersion3() {
    PostgresStorage old = TestStorages.builder(SCHEMA).build();
    try {
      old.client().open();
      TestStorages.sql(old, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      Migrations.migrate(old.client().vertxPool(), SCHEMA, 2, 60_000);
      TestStorages.sql(
          old,
          "INSERT INTO "
              + SCHEMA
              + ".spans (tenant, trace_id, span_id, start_time, end_time, name, kind,"
              + " status_code, status_message, service_name, scope_name, scope_version,"
              + " attributes, resource, events, links, dropped_attributes) VALUES ('"
              + TENANT
              + "', '\\x"
              + Fixtures.traceId(1)
              + "', '\\x"
              + Fixtures.spanId(1)
              + "', "
              + T0
              + ", "
              + T0
              + ", 'run', 0, 0, '', '', '', '',"
              + " '{\"sextant.span.running\": true}', '{}', '[]', '[]', 0)");
    } finally {
      old.close();
    }

    PostgresStorage storage = TestStorages.open(SCHEMA);
    try {
      RootQuery running = new RootQuery(TENANT, null, null, null, "running", null, null, false, 10);
      List<Span> roots = storage.spans().roots(running).await().atMost(Duration.ofSeconds(60));
      assertThat(roots).extracting(Span::traceId).containsExactly(Fixtures.traceId(1));

      Span ended =
          SpanBuilder.span(Fixtures.traceId(1), Fixtures.spanId(1)).start(T0).duration(3).build();
      storage.spans().write(List.of(ended)).await().atMost(Duration.ofSeconds(60));
      storage.spans().write(List.of(roots.getFirst())).await().atMost(Duration.ofSeconds(60));
      assertThat(
              storage
                  .spans()
                  .trace(TENANT, Fixtures.traceId(1))
                  .await()
                  .atMost(Duration.ofSeconds(60)))
          .containsExactly(ended);
    } finally {
      storage.close();
    }
  }

  @Test
  void version4MetricsAreRolledUpAfterStartAndLaterWritesAddOntoThem() {
    String schema = "upgrade_v4";
    MetricSeries counter = Fixtures.series("calls_total", MetricType.COUNTER, "job", "api");
    TreeMap<Long, MetricPoint> points = counterPoints(400, 0);
    storeAsVersion4(schema, Map.of(counter, points));

    PostgresStorage storage = TestStorages.open(schema);
    try {
      List<MetricPoint> all = new ArrayList<>(points.values());
      assertRolledUp(storage, counter, all);
      await(storage.metricStore().backfill().finished());
      assertRolledUp(storage, counter, all);
      long next = points.lastKey() + 5_000_000_000L;
      NumberPoint later = new NumberPoint(T0, next, 5_000);
      storage
          .metrics()
          .write(List.of(new MetricWrite(counter, later)))
          .chain(() -> storage.metrics().flush())
          .await()
          .atMost(Duration.ofSeconds(60));
      all.add(later);
      assertRolledUp(storage, counter, all);
    } finally {
      storage.close();
    }
  }

  /**
   * Start does not wait for the backfill (here it cannot even begin: another session holds the
   * metric lock), reads answer from the chunks meanwhile, and the stored rollups answer the same
   * once it is done; retention is told that nothing of the waiting series is rolled up yet.
   */
  @Test
  void version4BackfillRunsAfterStartAndReadsAnswerAlikeBeforeAndAfterIt() throws Exception {
    String schema = "upgrade_v4_background";
    Map<MetricSeries, TreeMap<Long, MetricPoint>> stored = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      stored.put(
          Fixtures.series("calls_total", MetricType.COUNTER, "job", "api-" + i),
          counterPoints(300 + 20 * i, 7 * i));
      stored.put(
          Fixtures.series("queue_depth", MetricType.GAUGE, "job", "api-" + i), gaugePoints(250, i));
    }
    storeAsVersion4(schema, stored);

    PostgresStorage locker = TestStorages.builder(schema).build();
    locker.client().open();
    SqlConnection lock =
        PgClient.await(locker.client().vertxPool().getConnection(), 60_000, "connecting");
    PostgresStorage storage = null;
    try {
      PgClient.await(
          lock.preparedQuery("SELECT pg_advisory_lock($1)")
              .execute(Tuple.of(AdvisoryLocks.key("metrics", schema))),
          60_000,
          "taking the metric lock");
      storage = TestStorages.builder(schema).metricBackfillBatchSeries(3).build();
      storage.start();

      assertThat(storage.metricStore().backfill().finished().isComplete()).isFalse();
      assertThat(rows(storage, schema, "metric_rollup_frontiers")).isZero();
      assertThat(rows(storage, schema, "metric_rollups_1m")).isZero();
      // What rollupsCompleteBefore answers after its flush (which would wait for the lock here).
      PostgresStorage started = storage;
      assertThat(
              PgClient.await(
                  started
                      .metricStore()
                      .backfill()
                      .rolledUpBefore(started.client().vertxPool(), TENANT),
                  60_000,
                  "asking what is rolled up"))
          .isEqualTo(RollupTier.ONE_HOUR.windowStart(T0));
      Map<String, List<Rollup>> during = answers(storage, stored.keySet());
      stored.forEach(
          (series, points) -> {
            for (RollupTier tier : RollupTier.values()) {
              assertThat(during.get(series.id() + " " + tier + " all"))
                  .as(series + " " + tier)
                  .isEqualTo(Rollups.compute(tier, null, new ArrayList<>(points.values())));
            }
          });

      PgClient.await(
          lock.preparedQuery("SELECT pg_advisory_unlock($1)")
              .execute(Tuple.of(AdvisoryLocks.key("metrics", schema))),
          60_000,
          "releasing the metric lock");
      await(storage.metricStore().backfill().finished());

      assertThat(rows(storage, schema, "metric_rollup_frontiers")).isEqualTo(stored.size());
      assertThat(rows(storage, schema, "metric_rollups_1m")).isPositive();
      assertThat(answers(storage, stored.keySet())).isEqualTo(during);
      assertThat(
              storage
                  .metrics()
                  .rollupsCompleteBefore(TENANT)
                  .await()
                  .atMost(Duration.ofSeconds(60)))
          .isEqualTo(Long.MAX_VALUE);
    } finally {
      if (storage != null) {
        storage.close();
      }
      lock.close();
      locker.close();
    }
  }

  /**
   * A backfill stopped after some batches (bounded by series and by points) goes on at the next
   * start and skips what it did.
   */
  @Test
  void version4BackfillStoppedHalfWayGoesOnAtTheNextStart() {
    String schema = "upgrade_v4_resumed";
    Map<MetricSeries, TreeMap<Long, MetricPoint>> stored = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      stored.put(
          Fixtures.series("calls_total", MetricType.COUNTER, "job", "api-" + i),
          counterPoints(200, 11 * i));
    }
    storeAsVersion4(schema, stored);
    PostgresStorage stopped = TestStorages.builder(schema).build();
    try {
      stopped.client().open();
      Migrations.migrate(stopped.client().vertxPool(), schema, 5, 60_000);
      // 200 points a series: a budget of 450 points takes two of the four series allowed.
      RollupWriter.Backfilled first =
          PgClient.await(
              RollupWriter.backfill(stopped.client().vertxPool(), schema, null, 4, 450),
              60_000,
              "a backfill batch");
      assertThat(first.more()).isTrue();
      assertThat(rows(stopped, schema, "metric_rollup_frontiers")).isEqualTo(2);
      RollupWriter.Backfilled second =
          PgClient.await(
              RollupWriter.backfill(
                  stopped.client().vertxPool(), schema, first.cursor(), 1, Long.MAX_VALUE),
              60_000,
              "the next backfill batch");
      assertThat(second.more()).isTrue();
      assertThat(rows(stopped, schema, "metric_rollup_frontiers")).isEqualTo(3);
    } finally {
      stopped.close();
    }

    PostgresStorage storage = TestStorages.open(schema);
    try {
      await(storage.metricStore().backfill().finished());
      assertThat(rows(storage, schema, "metric_rollup_frontiers")).isEqualTo(stored.size());
      stored.forEach(
          (series, points) -> assertRolledUp(storage, series, new ArrayList<>(points.values())));
    } finally {
      storage.close();
    }
  }

  /**
   * Retention removes no raw sample of a series still waiting for the backfill (its rollups are not
   * stored yet, so they would be lost), and removes them once the backfill stored the rollups;
   * those answer alike before and after.
   */
  @Test
  void rawSamplesOfASeriesWaitingForTheBackfillStayUntilItsRollupsAreStored() {
    String schema = "upgrade_v4_retention";
    MetricSeries counter = Fixtures.series("calls_total", MetricType.COUNTER, "job", "api");
    storeAsVersion4(schema, Map.of(counter, counterPoints(400, 0)));
    PostgresStorage storage = TestStorages.builder(schema).metricBackfillAtStart(false).build();
    storage.start();
    try {
      Map<String, List<Rollup>> before = answers(storage, List.of(counter));
      RowSet all = RowSet.all(RetentionSignal.METRIC_POINTS, TENANT);
      long cutoff = T0 + 3 * 3_600_000_000_000L; // after every sample

      assertThat(
              storage.retention().histogram(all, cutoff, 3_600_000_000_000L).await().atMost(WAIT))
          .isEmpty();
      assertThat(storage.retention().deleteBefore(all, cutoff, 100_000).await().atMost(WAIT).rows())
          .isZero();
      assertThat(points(storage, counter)).hasSize(400);

      storage.metricStore().backfill().start();
      await(storage.metricStore().backfill().finished());
      assertThat(storage.retention().deleteBefore(all, cutoff, 100_000).await().atMost(WAIT).rows())
          .isEqualTo(400);
      assertThat(points(storage, counter)).isEmpty();
      assertThat(answers(storage, List.of(counter))).isEqualTo(before);
    } finally {
      storage.close();
    }
  }

  @Test
  void version5LogRecordsWithTheirDefinitionsAreFlushedByVersion6() {
    String schema = "upgrade_log";
    MetricSeries counter =
        Fixtures.series("requests_total", MetricType.COUNTER, "service.name", "api");
    List<MetricPoint> points = new ArrayList<>(counterPoints(40, 0).values());
    List<MetricWrite> writes = new ArrayList<>();
    points.forEach(p -> writes.add(new MetricWrite(counter, p)));
    PostgresStorage old = TestStorages.builder(schema).build();
    try {
      old.client().open();
      TestStorages.sql(old, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      Migrations.migrate(old.client().vertxPool(), schema, 5, 60_000);
      // Acknowledged by a version-5 writer, not flushed before the upgrade.
      TestStorages.sql(
          old,
          "INSERT INTO "
              + schema
              + ".metric_wal (tenants, points, payload) VALUES (ARRAY['"
              + TENANT
              + "'], "
              + writes.size()
              + ", '\\x"
              + java.util.HexFormat.of().formatHex(WalRecordTest.legacyPayload(writes))
              + "')");
    } finally {
      old.close();
    }

    PostgresStorage storage = TestStorages.builder(schema).build();
    storage.start();
    try {
      storage.metrics().flush().await().atMost(WAIT);
      assertThat(points(storage, counter)).isEqualTo(points);
      assertThat(
              storage
                  .metrics()
                  .series(
                      new dev.sextant.storage.query.SeriesQuery(TENANT, List.of(), TimeRange.ALL))
                  .await()
                  .atMost(WAIT))
          .containsExactly(counter);
      assertThat(rows(storage, schema, "metric_definitions")).isOne();
      assertRolledUp(storage, counter, points);
    } finally {
      storage.close();
    }
  }

  private static List<MetricPoint> points(PostgresStorage storage, MetricSeries series) {
    return storage.metrics().points(TENANT, series.id(), TimeRange.ALL).await().atMost(WAIT);
  }

  /** What version-4 flushes left: chunks and series rows, no rollups. */
  private static void storeAsVersion4(
      String schema, Map<MetricSeries, TreeMap<Long, MetricPoint>> stored) {
    PostgresStorage old = TestStorages.builder(schema).build();
    try {
      old.client().open();
      TestStorages.sql(old, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      Migrations.migrate(old.client().vertxPool(), schema, 4, 60_000);
      long seq = 1;
      for (Map.Entry<MetricSeries, TreeMap<Long, MetricPoint>> entry : stored.entrySet()) {
        MetricSeries series = entry.getKey();
        TreeMap<Long, MetricPoint> points = entry.getValue();
        long chunkSeq = seq++;
        old.client()
            .call(
                "writing version 4 chunks",
                pool ->
                    Chunk.insert(
                        pool,
                        Chunk.of(
                            TENANT,
                            series.id(),
                            chunkSeq,
                            (short) 0,
                            new ArrayList<>(points.values()),
                            1_000)))
            .await()
            .atMost(Duration.ofSeconds(60));
        TestStorages.sql(
            old,
            "INSERT INTO "
                + schema
                + ".metric_series VALUES ('"
                + TENANT
                + "', "
                + series.id()
                + ", '"
                + series.name()
                + "', '"
                + PgJson.JSON.labels(series.labels())
                + "', "
                + series.type().ordinal()
                + ", "
                + series.temporality().ordinal()
                + ", '1', 'a test metric', "
                + points.firstKey()
                + ", "
                + points.lastKey()
                + ", "
                + (points.lastKey() + MetricWriter.BOUND_NANOS)
                + ")");
      }
    } finally {
      old.close();
    }
  }

  /** A counter sampled every 15 s from T0 with one reset, its samples shifted by {@code offset}. */
  private static TreeMap<Long, MetricPoint> counterPoints(int count, int offset) {
    TreeMap<Long, MetricPoint> points = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      long time = T0 + i * 15_000_000_000L + offset * 1_000_000_000L;
      points.put(time, new NumberPoint(T0, time, i == count / 2 ? 1 : 3.0 * i));
    }
    return points;
  }

  private static TreeMap<Long, MetricPoint> gaugePoints(int count, int seed) {
    TreeMap<Long, MetricPoint> points = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      long time = T0 + i * 20_000_000_000L;
      points.put(time, new NumberPoint(0, time, Math.sin(i + seed) * 100));
    }
    return points;
  }

  /** Every tier's rollups of every series, over all time and over a range cutting windows. */
  private static Map<String, List<Rollup>> answers(
      PostgresStorage storage, Iterable<MetricSeries> series) {
    TimeRange cut = new TimeRange(T0 + 90_000_000_000L, T0 + 65 * 60_000_000_000L + 7);
    Map<String, List<Rollup>> answers = new LinkedHashMap<>();
    for (MetricSeries s : series) {
      for (RollupTier tier : RollupTier.values()) {
        for (Map.Entry<String, TimeRange> range :
            Map.of("all", TimeRange.ALL, "cut", cut).entrySet()) {
          answers.put(
              s.id() + " " + tier + " " + range.getKey(),
              storage
                  .metrics()
                  .rollups(TENANT, s.id(), tier, range.getValue())
                  .await()
                  .atMost(Duration.ofSeconds(60)));
        }
      }
    }
    return answers;
  }

  private static long rows(PostgresStorage storage, String schema, String table) {
    return TestStorages.count(storage, "SELECT count(*) FROM " + schema + "." + table);
  }

  private static void await(io.vertx.core.Future<Void> future) {
    PgClient.await(future, 120_000, "waiting for the rollup backfill");
  }

  private static void assertRolledUp(
      PostgresStorage storage, MetricSeries series, List<MetricPoint> points) {
    for (RollupTier tier : RollupTier.values()) {
      assertThat(
              storage
                  .metrics()
                  .rollups(TENANT, series.id(), tier, TimeRange.ALL)
                  .await()
                  .atMost(Duration.ofSeconds(60)))
          .as(tier.name())
          .isEqualTo(Rollups.compute(tier, null, points));
    }
  }
}
