package dev.sextant.query.postgres;

import dev.sextant.storage.testkit.TestPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL backend on a throwaway cluster of this JVM ({@link TestPostgres}: initdb and
 * pg_ctl on a free loopback port, removed when the JVM exits), configured as a user configures it.
 */
public class PostgresProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(Cluster.class));
  }

  /** Starts the cluster before the application starts; a fresh schema for each start. */
  public static class Cluster implements QuarkusTestResourceLifecycleManager {
    private static int starts;

    @Override
    public Map<String, String> start() {
      TestPostgres cluster = TestPostgres.shared();
      return Map.of(
          "sextant.storage.kind",
          "postgres",
          "sextant.storage.postgres.url",
          cluster.url(),
          "sextant.storage.postgres.schema",
          "query_" + ++starts + "_" + ProcessHandle.current().pid());
    }

    @Override
    public void stop() {
      // The cluster is removed when the JVM exits.
    }
  }
}
