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
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.SpanBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Upgrades: from schema version 2, a span stored running before version 3 is flagged by the
 * migration, so it is listed as running and an ended record still replaces it; from version 4,
 * metrics stored before rollups were are rolled up at start, and later writes add onto those
 * windows.
 */
class PostgresUpgradeTest {
  private static final String SCHEMA = "upgrade";

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
  void version4MetricsAreRolledUpAtStartAndLaterWritesAddOntoThem() {
    String schema = "upgrade_v4";
    MetricSeries counter = Fixtures.series("calls_total", MetricType.COUNTER, "job", "api");
    TreeMap<Long, MetricPoint> points = new TreeMap<>();
    for (int i = 0; i < 400; i++) {
      long time = T0 + i * 15_000_000_000L;
      points.put(time, new NumberPoint(T0, time, i == 200 ? 1 : 3.0 * i));
    }
    PostgresStorage old = TestStorages.builder(schema).build();
    try {
      old.client().open();
      TestStorages.sql(old, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      Migrations.migrate(old.client().vertxPool(), schema, 4, 60_000);
      // What a version-4 flush left: chunks and the series row, no rollups.
      old.client()
          .call(
              "writing version 4 chunks",
              pool ->
                  Chunk.insert(pool, Chunk.of(TENANT, counter.id(), 1, (short) 0, points, 1_000)))
          .await()
          .atMost(Duration.ofSeconds(60));
      TestStorages.sql(
          old,
          "INSERT INTO "
              + schema
              + ".metric_series VALUES ('"
              + TENANT
              + "', "
              + counter.id()
              + ", 'calls_total', '"
              + PgJson.JSON.labels(counter.labels())
              + "', "
              + counter.type().ordinal()
              + ", "
              + counter.temporality().ordinal()
              + ", '1', 'a test metric', "
              + points.firstKey()
              + ", "
              + points.lastKey()
              + ", "
              + (points.lastKey() + MetricWriter.BOUND_NANOS)
              + ")");
    } finally {
      old.close();
    }

    PostgresStorage storage = TestStorages.open(schema);
    try {
      List<MetricPoint> all = new ArrayList<>(points.values());
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
