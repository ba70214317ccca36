package dev.sextant.e2e;

import dev.sextant.storage.testkit.TestPostgres;
import java.util.Map;

/**
 * The run command's environment that puts the four services on PostgreSQL, by configuration only,
 * in their own schema of this JVM's throwaway cluster ({@link TestPostgres}), so suites started one
 * after the other in one JVM never see each other's data.
 */
final class SuiteOnPostgres {
  private SuiteOnPostgres() {}

  static Map<String, String> environment(String schema) {
    return Map.of(
        "SEXTANT_STORAGE_KIND",
        "postgres",
        "SEXTANT_STORAGE_POSTGRES_URL",
        TestPostgres.shared().url(),
        "SEXTANT_STORAGE_POSTGRES_SCHEMA",
        schema);
  }
}
