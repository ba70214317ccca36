package dev.sextant.storage.postgres;

import dev.sextant.storage.testkit.TestPostgres;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/** Started backends on the JVM's throwaway cluster ({@link TestPostgres}), one schema each. */
final class TestStorages {
  private static final String TABLES =
      "spans, logs, metric_series, metric_metadata, metric_wal, metric_chunks, span_payloads,"
          + " metric_events, scores, feedback, retention_policies, retention_runs, retention_leases,"
          + " metric_rollups_1m, metric_rollups_1h, metric_rollup_frontiers, metric_raw_floors,"
          + " metric_definitions";

  private TestStorages() {}

  static PostgresStorage.Builder builder(String schema) {
    return PostgresStorage.builder().url(TestPostgres.shared().url()).schema(schema);
  }

  /** A started backend over the schema as it is. */
  static PostgresStorage open(String schema) {
    PostgresStorage storage = builder(schema).build();
    storage.start();
    return storage;
  }

  /** A started backend over the schema, emptied first. */
  static PostgresStorage empty(String schema) {
    PostgresStorage storage = open(schema);
    sql(storage, "TRUNCATE " + TABLES);
    return storage;
  }

  static void sql(PostgresStorage storage, String sql) {
    storage
        .client()
        .call("test sql", pool -> pool.query(sql).execute())
        .await()
        .atMost(Duration.ofSeconds(60));
  }

  static long count(PostgresStorage storage, String sql) {
    return storage
        .client()
        .query("test count", sql, Tuple.tuple())
        .map(rows -> rows.iterator().next().getLong(0))
        .await()
        .atMost(Duration.ofSeconds(60));
  }
}
