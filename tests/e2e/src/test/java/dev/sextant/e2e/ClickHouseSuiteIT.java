package dev.sextant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.testkit.ChdbServer;
import java.util.Map;

/**
 * The whole of {@link SuiteIT} with the four services on ClickHouse, chosen by configuration only
 * ({@link SuiteOnClickHouse}: {@code SEXTANT_STORAGE_KIND=clickhouse} and the endpoint in the
 * environment of the run command), in a database of this JVM's real ClickHouse server ({@link
 * ChdbServer}). Retention runs every default policy at startup as on SQLite, metric samples and
 * rollup tiers included, and sets the tables' TTLs from the policies.
 */
class ClickHouseSuiteIT extends SuiteIT {
  private static final String DATABASE = "e2e";

  @Override
  Map<String, String> environment() {
    return SuiteOnClickHouse.environment(DATABASE);
  }

  @Override
  String storageKind() {
    return "clickhouse";
  }

  @Override
  void assertStoreExists() {
    assertThat(
            sql(
                "SELECT count() FROM system.tables WHERE database = '"
                    + DATABASE
                    + "' AND name IN ('spans', 'logs', 'series', 'samples')"))
        .isEqualTo("4");
    // Retention set the tables' TTLs from its default policies (7 days for spans) at startup.
    assertThat(
            sql(
                "SELECT engine_full FROM system.tables WHERE database = '"
                    + DATABASE
                    + "' AND name = 'spans' FORMAT TSVRaw"))
        .contains(" TTL toDateTime(start_time) + toIntervalSecond(604800)");
  }

  @Override
  void assertStoreHoldsSpans() {
    assertThat(Long.parseLong(sql("SELECT count() FROM " + DATABASE + ".spans FINAL")))
        .isPositive();
  }

  private static String sql(String sql) {
    return String.join("\n", ChdbServer.shared().select(sql)).strip();
  }
}
