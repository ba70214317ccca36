package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DDL of cluster mode with Keeper ({@code ON CLUSTER}, Replicated tables), which chDB cannot
 * run (it has no Keeper): checked as text here; the Distributed path itself runs against two real
 * servers in {@link ClickHouseClusterConformanceTest}.
 */
class SchemaTest {

  private static Schema schema(String cluster) {
    ClickHouseStorage.Builder builder = ClickHouseStorage.builder().database("obs");
    if (cluster != null) {
      builder.cluster(cluster);
    }
    return new Schema(builder.build().options());
  }

  @Test
  void oneNodeMakesPlainTables() {
    List<String> ddl =
        schema(null)
            .createTable("spans", "  x UInt8", "ReplacingMergeTree(version)", "ORDER BY x", "x");

    assertThat(ddl)
        .containsExactly(
            "CREATE TABLE IF NOT EXISTS obs.spans (\n  x UInt8\n) ENGINE ="
                + " ReplacingMergeTree(version)\nORDER BY x");
  }

  @Test
  void aClusterMakesReplicatedLocalTablesBehindADistributedTableOnCluster() {
    List<String> ddl =
        schema("prod")
            .createTable(
                "spans",
                "  x UInt8",
                "ReplacingMergeTree(version)",
                "ORDER BY x",
                "cityHash64(trace_id)");

    assertThat(ddl)
        .containsExactly(
            "CREATE TABLE IF NOT EXISTS obs.spans_local ON CLUSTER `prod` (\n  x UInt8\n) ENGINE ="
                + " ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/obs/spans',"
                + " '{replica}', version)\nORDER BY x",
            "CREATE TABLE IF NOT EXISTS obs.spans ON CLUSTER `prod` AS obs.spans_local ENGINE ="
                + " Distributed(`prod`, obs, spans_local, cityHash64(trace_id))");
    assertThat(schema("prod").createDatabase())
        .isEqualTo("CREATE DATABASE IF NOT EXISTS obs ON CLUSTER `prod`");
  }

  @Test
  void everyMigrationStatementOfAClusterRunsOnCluster() {
    Schema schema = schema("prod");

    for (Migrations.Migration migration : Migrations.ALL) {
      assertThat(migration.statements().apply(schema))
          .allSatisfy(sql -> assertThat(sql).contains(" ON CLUSTER `prod`"))
          .noneSatisfy(sql -> assertThat(sql).contains("ENGINE = MergeTree"))
          .noneSatisfy(sql -> assertThat(sql).contains("ENGINE = ReplacingMergeTree"));
    }
  }

  @Test
  void namesThatWouldBeQueryTextMustBePlainIdentifiers() {
    assertThatThrownBy(() -> ClickHouseStorage.builder().database("x; DROP TABLE y").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClickHouseStorage.builder().cluster("a`b").build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
