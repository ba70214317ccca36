package dev.sextant.storage.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daily partitions of every partitioned table in the schema. A partition {@code
 * <table>_dYYYYMMDD} holds the rows whose partition key (a Unix-nanosecond time) falls on that UTC
 * day; {@code <table>_default} holds rows of days without one. {@link #ensure} creates the days
 * around now ahead of time; a day whose rows already sit in the default partition is created
 * detached, filled with them, and attached, so no row is ever refused. Attaching takes only a SHARE
 * UPDATE EXCLUSIVE lock on the parent, so reads and writes go on meanwhile.
 */
final class Partitions {
  static final long DAY_NANOS = 86_400_000_000_000L;
  private static final DateTimeFormatter DAY_NAME = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final Pattern KEY = Pattern.compile("RANGE \\(\"?(\\w+)\"?\\)");
  private static final Pattern DAILY = Pattern.compile("(.+)_d(\\d{8})");

  private Partitions() {}

  /** One partition of a table: a day (its first nanosecond), or the default one (day null). */
  record Partition(String table, String name, String keyColumn, Long day) {
    boolean isDefault() {
      return day == null;
    }

    long end() {
      return day + DAY_NANOS;
    }
  }

  /** A partitioned table of the schema and its partition key column. */
  record Table(String name, String keyColumn) {}

  static long dayOf(long unixNanos) {
    return Math.floorDiv(unixNanos, DAY_NANOS) * DAY_NANOS;
  }

  static String dayName(String table, long day) {
    LocalDate date =
        LocalDate.ofEpochDay(Math.floorDiv(day, DAY_NANOS))
            .atStartOfDay(ZoneOffset.UTC)
            .toLocalDate();
    return table + "_d" + date.format(DAY_NAME);
  }

  static Future<List<Table>> tables(SqlClient client) {
    return client
        .query(
            "SELECT c.relname, pg_get_partkeydef(c.oid) FROM pg_partitioned_table p"
                + " JOIN pg_class c ON c.oid = p.partrelid"
                + " WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1")
        .execute()
        .map(
            rows -> {
              List<Table> tables = new ArrayList<>();
              for (Row row : rows) {
                Matcher key = KEY.matcher(row.getString(1));
                if (key.matches() && Identifiers.isValid(row.getString(0))) {
                  tables.add(new Table(row.getString(0), key.group(1)));
                }
              }
              return tables;
            });
  }

  /** The partitions of the schema's partitioned tables that follow the naming above. */
  static Future<List<Partition>> list(SqlClient client) {
    return tables(client)
        .compose(
            tables ->
                client
                    .query(
                        "SELECT p.relname, c.relname FROM pg_inherits i"
                            + " JOIN pg_class c ON c.oid = i.inhrelid"
                            + " JOIN pg_class p ON p.oid = i.inhparent"
                            + " WHERE p.relnamespace = current_schema()::regnamespace")
                    .execute()
                    .map(
                        rows -> {
                          List<Partition> partitions = new ArrayList<>();
                          for (Row row : rows) {
                            String parent = row.getString(0);
                            String name = row.getString(1);
                            Table table =
                                tables.stream()
                                    .filter(t -> t.name().equals(parent))
                                    .findFirst()
                                    .orElse(null);
                            Partition partition = partition(table, name);
                            if (partition != null) {
                              partitions.add(partition);
                            }
                          }
                          return partitions;
                        }));
  }

  private static Partition partition(Table table, String name) {
    if (table == null || !Identifiers.isValid(name)) {
      return null;
    }
    if (name.equals(table.name() + "_default")) {
      return new Partition(table.name(), name, table.keyColumn(), null);
    }
    Matcher daily = DAILY.matcher(name);
    if (!daily.matches() || !daily.group(1).equals(table.name())) {
      return null;
    }
    LocalDate date = LocalDate.parse(daily.group(2), DAY_NAME);
    return new Partition(table.name(), name, table.keyColumn(), date.toEpochDay() * DAY_NANOS);
  }

  /**
   * Creates the missing daily partitions of every partitioned table for the days from {@code
   * fromDay} to {@code toDay} (first nanoseconds of UTC days, inclusive), in one transaction under
   * the schema's partition lock; returns how many it created.
   */
  static Future<Integer> ensure(Pool pool, String schema, long fromDay, long toDay) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(AdvisoryLocks.key("partitions", schema)))
                .compose(locked -> tables(connection))
                .compose(
                    tables ->
                        list(connection)
                            .compose(
                                existing -> {
                                  Set<String> names = new HashSet<>();
                                  existing.forEach(p -> names.add(p.name()));
                                  Future<Integer> created = Future.succeededFuture(0);
                                  for (Table table : tables) {
                                    for (long day = fromDay; day <= toDay; day += DAY_NANOS) {
                                      if (!names.contains(dayName(table.name(), day))) {
                                        long d = day;
                                        created =
                                            created.compose(
                                                n -> create(connection, table, d).map(n + 1));
                                      }
                                    }
                                  }
                                  return created;
                                })));
  }

  private static Future<Void> create(SqlConnection connection, Table table, long day) {
    String parent = Identifiers.quote(table.name());
    String partition = Identifiers.quote(dayName(table.name(), day));
    String fallback = Identifiers.quote(table.name() + "_default");
    String key = Identifiers.quote(table.keyColumn());
    long end = day + DAY_NANOS;
    // Bounds are our own numbers, not input: part of the DDL text, which takes no parameters.
    String inDay = key + " >= " + day + " AND " + key + " < " + end;
    return connection
        .query(
            "CREATE TABLE "
                + partition
                + " (LIKE "
                + parent
                + " INCLUDING DEFAULTS INCLUDING STORAGE);"
                + "INSERT INTO "
                + partition
                + " SELECT * FROM "
                + fallback
                + " WHERE "
                + inDay
                + ";DELETE FROM "
                + fallback
                + " WHERE "
                + inDay
                + ";ALTER TABLE "
                + parent
                + " ATTACH PARTITION "
                + partition
                + " FOR VALUES FROM ("
                + day
                + ") TO ("
                + end
                + ")")
        .execute()
        .mapEmpty();
  }

  /** Drops one daily partition under the schema's partition lock. */
  static Future<Void> drop(SqlConnection connection, String schema, Partition partition) {
    return connection
        .preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(AdvisoryLocks.key("partitions", schema)))
        .compose(
            locked ->
                connection.query("DROP TABLE " + Identifiers.quote(partition.name())).execute())
        .mapEmpty();
  }
}
