package dev.sextant.e2e;

import dev.sextant.storage.testkit.ChdbServer;
import java.util.Map;

/**
 * The run command's environment that puts the four services on ClickHouse, by configuration only,
 * in their own database of this JVM's ClickHouse server ({@link ChdbServer#shared()}: chDB's
 * ClickHouse 26.7 on loopback), so suites started one after the other in one JVM never see each
 * other's data.
 */
final class SuiteOnClickHouse {
  private SuiteOnClickHouse() {}

  static Map<String, String> environment(String database) {
    return Map.of(
        "SEXTANT_STORAGE_KIND",
        "clickhouse",
        "SEXTANT_STORAGE_CLICKHOUSE_ENDPOINT",
        ChdbServer.shared().endpoint(),
        "SEXTANT_STORAGE_CLICKHOUSE_DATABASE",
        database);
  }
}
