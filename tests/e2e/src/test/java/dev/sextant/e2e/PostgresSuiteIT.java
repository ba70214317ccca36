package dev.sextant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.testkit.TestPostgres;
import java.util.Map;

/**
 * The whole of {@link SuiteIT} with the four services on PostgreSQL, chosen by configuration only
 * ({@link SuiteOnPostgres}: {@code SEXTANT_STORAGE_KIND=postgres} and the connection URL in the
 * environment of the run command), on a throwaway cluster of this JVM ({@link TestPostgres}).
 * Retention runs every default policy at startup as on SQLite, metric samples and rollup tiers
 * included.
 */
class PostgresSuiteIT extends SuiteIT {
  private static final String SCHEMA = "e2e";

  @Override
  Map<String, String> environment() {
    return SuiteOnPostgres.environment(SCHEMA);
  }

  @Override
  String storageKind() {
    return "postgres";
  }

  @Override
  void assertStoreExists() {
    assertThat(
            sql(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + SCHEMA
                    + "' AND table_name IN ('spans', 'logs', 'metric_series')"))
        .isEqualTo("3");
  }

  @Override
  void assertStoreHoldsSpans() {
    assertThat(Long.parseLong(sql("SELECT count(*) FROM " + SCHEMA + ".spans"))).isPositive();
  }

  private static String sql(String sql) {
    return TestPostgres.shared().superuserSql(sql).strip();
  }
}
