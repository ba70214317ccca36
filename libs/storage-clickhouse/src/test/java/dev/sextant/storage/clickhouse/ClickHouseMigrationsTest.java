package dev.sextant.storage.clickhouse;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.Fixtures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A database made by schema version 1 is brought to the current one, its data kept. */
class ClickHouseMigrationsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static ClickHouseStorage storage(String database) {
    return ClickHouseStorage.builder()
        .endpoint(ChdbServer.shared().endpoint())
        .database(database)
        .build();
  }

  private static List<String> sampleCodecs(String database) {
    return ChdbServer.shared()
        .select(
            "SELECT name, compression_codec FROM system.columns WHERE database = '"
                + database
                + "' AND table = 'samples' AND name IN ('time', 'value') ORDER BY name"
                + " FORMAT TSV");
  }

  @Test
  void versionOneIsUpgradedAndItsPointsStayReadable() {
    String database = "upgrade_" + ProcessHandle.current().pid();
    // Version 1 as an earlier release left it, with a point written by it.
    ClickHouseStorage old = storage(database);
    Schema schema = new Schema(old.options());
    ChdbServer.shared().select(schema.createDatabase());
    for (String statement : Migrations.v1(schema)) {
      ChdbServer.shared().select(statement);
    }
    ChdbServer.shared()
        .select(
            "CREATE TABLE "
                + schema.table(Schema.MIGRATIONS)
                + " (version UInt32, description String, applied_at DateTime DEFAULT now())"
                + " ENGINE = MergeTree ORDER BY version");
    ChdbServer.shared()
        .select(
            "INSERT INTO "
                + schema.table(Schema.MIGRATIONS)
                + " (version, description) VALUES (1, 'create tables')");
    assertThat(sampleCodecs(database))
        .containsExactly("time\tCODEC(DoubleDelta, ZSTD(1))", "value\tCODEC(Gorilla(8), ZSTD(1))");
    MetricSeries series = Fixtures.series("queue_depth", MetricType.GAUGE, "queue", "a");
    ChdbServer.shared()
        .select(
            "INSERT INTO "
                + schema.table(Schema.SAMPLES)
                + " (tenant, series_id, time, kind, value, version) VALUES ('"
                + TENANT
                + "', "
                + series.id()
                + ", fromUnixTimestamp64Nano(toInt64("
                + T0
                + ")), 0, 4.5, 1)");

    ClickHouseStorage upgraded = storage(database);
    upgraded.start();
    try {
      assertThat(sampleCodecs(database))
          .containsExactly("time\tCODEC(Delta(8), ZSTD(1))", "value\tCODEC(Delta(8), ZSTD(1))");
      // The point from version 1, and one written after the upgrade, read back exactly.
      upgraded
          .metrics()
          .write(List.of(new MetricWrite(series, new NumberPoint(0, T0 + seconds(10), -0.0))))
          .await()
          .atMost(PATIENCE);
      assertThat(
              upgraded
                  .metrics()
                  .points(TENANT, series.id(), new TimeRange(T0, T0 + seconds(20)))
                  .await()
                  .atMost(PATIENCE))
          .containsExactly(new NumberPoint(0, T0, 4.5), new NumberPoint(0, T0 + seconds(10), -0.0));
      assertThat(
              ChdbServer.shared()
                  .select("SELECT max(version) FROM " + schema.table(Schema.MIGRATIONS)))
          .containsExactly(Integer.toString(Migrations.ALL.getLast().version()));
    } finally {
      upgraded.close();
    }
  }
}
