package dev.sextant.retention;

import dev.sextant.storage.testkit.ChdbServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The retention service on ClickHouse: this JVM's chDB server, a database of the test's own. */
public final class OnClickHouseProfile implements QuarkusTestProfile {
  static final String DATABASE = "retention_" + ProcessHandle.current().pid();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "sextant.storage.kind",
        "clickhouse",
        "sextant.storage.clickhouse.endpoint",
        ChdbServer.shared().endpoint(),
        "sextant.storage.clickhouse.database",
        DATABASE);
  }
}
