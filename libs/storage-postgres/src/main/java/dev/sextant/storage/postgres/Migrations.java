package dev.sextant.storage.postgres;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Brings the schema up to date: numbered scripts in {@code migrations/V<n>__*.sql}, applied in
 * order in one transaction and recorded in {@code schema_version}. The transaction first takes an
 * advisory lock for the schema, so services starting together wait for the first one and then find
 * nothing to do; PostgreSQL's DDL is transactional, so a failed migration leaves the previous
 * version intact. A schema newer than this code fails the start. Never edit an applied script: add
 * the next one and list it here.
 */
final class Migrations {
  /** The scripts, version 1 first. */
  static final List<String> SCRIPTS =
      List.of(
          "V1__spans_logs_metrics.sql",
          "V2__agent_signals_and_retention.sql",
          "V3__running_spans_and_roots.sql",
          "V4__retention_book.sql",
          "V5__metric_rollups.sql",
          "V6__metric_definitions.sql");

  static final int LATEST = SCRIPTS.size();

  private Migrations() {}

  /** Migrates the schema to {@link #LATEST}; returns the version found before. */
  static int migrate(Pool pool, String schema, long timeoutMillis) {
    return migrate(pool, schema, LATEST, timeoutMillis);
  }

  /** Migrates the schema to {@code target} (tests stop at older versions). */
  static int migrate(Pool pool, String schema, int target, long timeoutMillis) {
    return PgClient.await(
        pool.withTransaction(connection -> migrate(connection, schema, target)),
        timeoutMillis,
        "migrating schema " + schema);
  }

  private static Future<Integer> migrate(SqlConnection connection, String schema, int target) {
    return connection
        .preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(AdvisoryLocks.key("migrate", schema)))
        .compose(
            ignored ->
                connection
                    .query(
                        "CREATE SCHEMA IF NOT EXISTS "
                            + Identifiers.quote(schema)
                            + ";CREATE TABLE IF NOT EXISTS "
                            + Identifiers.quote(schema)
                            + ".schema_version (version integer PRIMARY KEY, script text NOT NULL,"
                            + " applied_at timestamptz NOT NULL DEFAULT now())")
                    .execute())
        .compose(
            ignored ->
                connection
                    .query(
                        "SELECT coalesce(max(version), 0) FROM "
                            + Identifiers.quote(schema)
                            + ".schema_version")
                    .execute())
        .compose(
            rows -> {
              Row row = rows.iterator().next();
              int current = row.getInteger(0);
              if (current > LATEST) {
                return Future.failedFuture(
                    new StorageException(
                        Code.INTERNAL,
                        "schema "
                            + schema
                            + " has version "
                            + current
                            + " but this Sextant knows versions up to "
                            + LATEST
                            + ": it was migrated by a newer Sextant; run that version (or newer)"));
              }
              Future<Void> applied = Future.succeededFuture();
              for (int version = current + 1; version <= target; version++) {
                int v = version;
                applied = applied.compose(done -> apply(connection, schema, v));
              }
              return applied.map(done -> current);
            });
  }

  private static Future<Void> apply(SqlConnection connection, String schema, int version) {
    String script = SCRIPTS.get(version - 1);
    // search_path is the schema (PostgresOptions), so the scripts name tables unqualified.
    return connection
        .query("SET LOCAL search_path TO " + Identifiers.quote(schema) + ";" + load(script))
        .execute()
        .compose(
            ignored ->
                connection
                    .preparedQuery(
                        "INSERT INTO "
                            + Identifiers.quote(schema)
                            + ".schema_version (version, script) VALUES ($1, $2)")
                    .execute(Tuple.of(version, script)))
        .mapEmpty();
  }

  static String load(String script) {
    String resource = "dev/sextant/storage/postgres/migrations/" + script;
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new StorageException(Code.INTERNAL, "migration " + resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StorageException(Code.INTERNAL, "cannot read migration " + resource, e);
    }
  }
}
