package dev.sextant.storage.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Function;

/**
 * Keys of the advisory locks Sextant's processes coordinate with, per schema: {@code migrate}
 * (schema changes), {@code partitions} (partition creation and drops), {@code metrics} (everything
 * that changes metric chunks: flushes, compaction, retention). Advisory locks are per database, so
 * the schema is part of the key.
 */
final class AdvisoryLocks {
  private AdvisoryLocks() {}

  static long key(String purpose, String schema) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("sextant:" + purpose + ":" + schema).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Takes the schema's lock for the purpose until the connection's transaction ends. */
  static Future<Void> lock(SqlConnection connection, String purpose, String schema) {
    return connection
        .preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(key(purpose, schema)))
        .mapEmpty();
  }

  /** Runs {@code work} in one transaction that holds the schema's metric lock. */
  static <T> Future<T> withMetricLock(
      Pool pool, String schema, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(
        connection ->
            lock(connection, "metrics", schema).compose(locked -> work.apply(connection)));
  }
}
