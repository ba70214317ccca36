package dev.sextant.storage.sqlite;

import dev.sextant.storage.json.AttributeJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code resources} table of spans.db and logs.db: each distinct resource attribute map once,
 * referenced by its records' {@code resource_id}. An SDK's resource (service, SDK, host, process,
 * runtime) is often larger than a span, and every record of a request shares it: stored on every
 * row it doubled the file (measured with a 15-attribute resource: 2.3 GB against 1.1 GB for 2M
 * spans) and cost a third of the insert rate.
 *
 * <p>A resource's id is the first 8 bytes of the SHA-256 of its JSON, so every process finds the
 * same id without asking the database; a collision (2^-64 per pair of distinct resources) would
 * show one resource's attributes for the other's records.
 *
 * <p>Retention: {@code last_seen} is the newest record time written with the resource, raised at
 * most every {@link #REFRESH_NANOS} (so most writes only look the row up). A record at or after a
 * retention cutoff therefore has a resource with {@code last_seen} no older than the cutoff minus
 * that refresh, and retention deletes only resources older than the cutoff minus {@link
 * #KEEP_BEHIND_CUTOFF_NANOS}, which is larger. A read that finds no resource row (it cannot happen
 * by that rule, but a file is only a file) reads empty attributes rather than failing.
 */
final class Resources {
  static final long REFRESH_NANOS = TimeUnit.MINUTES.toNanos(10);
  static final long KEEP_BEHIND_CUTOFF_NANOS = TimeUnit.HOURS.toNanos(1);

  private static final String UPSERT =
      "INSERT INTO resources (tenant, id, attributes, last_seen) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (tenant, id) DO UPDATE SET last_seen = excluded.last_seen"
          + " WHERE excluded.last_seen > resources.last_seen + "
          + REFRESH_NANOS;

  private static final String DELETE_UNUSED = "DELETE FROM resources WHERE last_seen < ?";

  private Resources() {}

  /** A resource map as stored: its id and its JSON. */
  record Encoded(long id, String json) {}

  /**
   * Encodes the resource maps of one write, each distinct map once (the records of a request share
   * theirs), and collects which resources the write must make sure exist.
   */
  static final class Batch {
    private final Map<Map<String, Object>, Encoded> encoded = new HashMap<>();
    private final Map<Use, Long> newest = new LinkedHashMap<>();

    private record Use(String tenant, Encoded resource) {}

    /** The resource of a record of {@code tenant} at {@code timeUnixNanos}. */
    Encoded add(String tenant, Map<String, Object> attributes, long timeUnixNanos) {
      Encoded resource = encoded.computeIfAbsent(attributes, Resources::encode);
      newest.merge(new Use(tenant, resource), timeUnixNanos, Math::max);
      return resource;
    }

    /** Inserts the resources not stored yet and refreshes the last-seen time of the others. */
    void write(StatementCache statements) throws SQLException {
      PreparedStatement upsert = statements.prepare(UPSERT);
      for (Map.Entry<Use, Long> use : newest.entrySet()) {
        upsert.setString(1, use.getKey().tenant());
        upsert.setLong(2, use.getKey().resource().id());
        upsert.setString(3, use.getKey().resource().json());
        upsert.setLong(4, use.getValue());
        upsert.executeUpdate();
      }
    }
  }

  /** Reads the resource column of a query's rows, parsing each distinct resource once. */
  static final class Reader {
    private final Map<Long, Map<String, Object>> parsed = new HashMap<>();

    /** The attributes of resource {@code id}, whose JSON is {@code json} (null: not stored). */
    Map<String, Object> attributes(long id, String json) {
      if (json == null) {
        return Map.of();
      }
      return parsed.computeIfAbsent(id, ignored -> AttributeJson.STANDARD.readAttributes(json));
    }
  }

  static Encoded encode(Map<String, Object> attributes) {
    String json = AttributeJson.STANDARD.attributes(attributes);
    return new Encoded(idOf(json), json);
  }

  private static long idOf(String json) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return ByteBuffer.wrap(sha256.digest(json.getBytes(StandardCharsets.UTF_8))).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The JSON of the resource of the row {@code alias} of a table with {@code tenant} and {@code
   * resource_id} columns; NULL when there is none.
   */
  static String attributesOf(String alias) {
    return "(SELECT r.attributes FROM resources r WHERE r.tenant = "
        + alias
        + ".tenant AND r.id = "
        + alias
        + ".resource_id)";
  }

  /** Deletes the resources no record at or after the cutoff can still use. */
  static CompletableFuture<Integer> deleteUnused(SqliteDatabase database, long cutoffUnixNanos) {
    long before =
        cutoffUnixNanos < Long.MIN_VALUE + KEEP_BEHIND_CUTOFF_NANOS
            ? Long.MIN_VALUE
            : cutoffUnixNanos - KEEP_BEHIND_CUTOFF_NANOS;
    return database.write(
        new WriteTask<>() {
          @Override
          public int rows() {
            return 1;
          }

          @Override
          public Integer apply(StatementCache statements) throws SQLException {
            PreparedStatement delete = statements.prepare(DELETE_UNUSED);
            delete.setLong(1, before);
            return delete.executeUpdate();
          }
        });
  }
}
