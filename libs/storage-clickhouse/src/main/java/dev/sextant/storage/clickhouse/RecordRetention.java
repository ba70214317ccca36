package dev.sextant.storage.clickhouse;

import com.clickhouse.client.api.Client;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RowSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Retention's operations on spans and logs (ADR 0013). A deletion works oldest first, a step at a
 * time until the row budget is spent: where every row of the oldest day partition (of every tenant:
 * partitions are by day only) is in the row set and before the cutoff, the partition is dropped
 * whole; otherwise a lightweight {@code DELETE} removes the set's rows up to the time that keeps
 * the step within the budget. A row's size is the length of its stored fields plus a fixed cost,
 * the same measure for the histogram and the deletion.
 */
final class RecordRetention {
  /** How each record table is read. */
  enum Table {
    SPANS(
        Schema.SPANS,
        "start_time",
        " FINAL",
        "64 + length(name) + length(status_message) + length(attributes)"
            + " + length(resource_attributes) + length(events) + length(links)"),
    LOGS(
        Schema.LOGS,
        "time",
        "",
        "48 + length(body_text) + length(body_value) + length(attributes)"
            + " + length(resource_attributes)");

    final String name;
    final String time;
    final String fin;
    final String bytes;

    Table(String name, String time, String fin, String bytes) {
      this.name = name;
      this.time = time;
      this.fin = fin;
      this.bytes = bytes;
    }
  }

  private static final Pattern PARTITION_ID = Pattern.compile("[0-9A-Za-z_-]+");

  private final ClickHouseAccess access;
  private final Schema schema;

  RecordRetention(ClickHouseAccess access, Schema schema) {
    this.access = access;
    this.schema = schema;
  }

  private String before(Table t, String parameter) {
    return " AND " + t.time + " < fromUnixTimestamp64Nano({" + parameter + ":Int64})";
  }

  List<String> tenants(Client c, Table t) throws Exception {
    return access.queryBlocking(
        c,
        "SELECT DISTINCT toString(tenant) FROM " + schema.table(t.name),
        Map.of(),
        RecordRetention::strings);
  }

  static List<String> strings(RowBinaryInput in) {
    List<String> out = new ArrayList<>();
    while (in.hasMore()) {
      out.add(in.string());
    }
    out.sort(null);
    return out;
  }

  Deleted delete(Client c, Table t, RowSet rows, long cutoff, int maxRows) throws Exception {
    long deletedRows = 0;
    long deletedBytes = 0;
    Map<String, Object> p = new HashMap<>();
    String set = Selectors.records(rows, p);
    p.put("cutoff", cutoff);
    String from = " FROM " + schema.table(t.name);
    while (true) {
      long[] left =
          access.queryBlocking(
              c,
              "SELECT count(), toUnixTimestamp64Nano(min("
                  + t.time
                  + "))"
                  + from
                  + t.fin
                  + " WHERE 1"
                  + set
                  + before(t, "cutoff"),
              p,
              in -> new long[] {in.int64(), in.int64()});
      if (left[0] == 0) {
        return new Deleted(deletedRows, deletedBytes, false, cutoff);
      }
      if (deletedRows >= maxRows) {
        return new Deleted(deletedRows, deletedBytes, true, cutoff);
      }
      String partition =
          access.queryBlocking(
              c,
              "SELECT _partition_id"
                  + from
                  + " WHERE 1"
                  + set
                  + before(t, "cutoff")
                  + " ORDER BY "
                  + t.time
                  + " LIMIT 1",
              p,
              in -> in.hasMore() ? in.string() : null);
      if (partition != null && PARTITION_ID.matcher(partition).matches()) {
        Map<String, Object> pp = new HashMap<>(p);
        pp.put("partition", partition);
        long[] whole =
            access.queryBlocking(
                c,
                "SELECT count(), countIf(1"
                    + set
                    + "), toUnixTimestamp64Nano(max("
                    + t.time
                    + "))"
                    + from
                    + " WHERE _partition_id = {partition:String}",
                pp,
                in -> new long[] {in.int64(), in.int64(), in.int64()});
        if (whole[0] > 0 && whole[0] == whole[1] && whole[2] < cutoff) {
          long[] measured =
              measure(c, t, from + t.fin + " WHERE _partition_id = {partition:String}", pp);
          for (String table : tablesOf(t)) {
            access.everyNodeBlocking(
                c,
                "ALTER TABLE "
                    + schema.local(table)
                    + schema.onCluster()
                    + " DROP PARTITION ID '"
                    + partition
                    + "'",
                Map.of());
          }
          deletedRows += measured[0];
          deletedBytes += measured[1];
          continue;
        }
      }
      // The time of the first row past the budget: rows before it fit in this step.
      Map<String, Object> sp = new HashMap<>(p);
      sp.put("offset", maxRows - deletedRows);
      Long at =
          access.queryBlocking(
              c,
              "SELECT toUnixTimestamp64Nano("
                  + t.time
                  + ")"
                  + from
                  + t.fin
                  + " WHERE 1"
                  + set
                  + before(t, "cutoff")
                  + " ORDER BY "
                  + t.time
                  + " LIMIT 1 OFFSET {offset:UInt64}",
              sp,
              in -> in.hasMore() ? in.int64() : null);
      // Rows sharing the oldest time go together, even past the budget.
      long step = at == null ? cutoff : at == left[1] ? at + 1 : at;
      sp.put("step", step);
      long[] measured = measure(c, t, from + t.fin + " WHERE 1" + set + before(t, "step"), sp);
      access.everyNodeBlocking(
          c,
          "DELETE FROM "
              + schema.local(t.name)
              + schema.onCluster()
              + " WHERE 1"
              + set
              + before(t, "step"),
          sp);
      if (t == Table.SPANS && rows.isWholeTenant()) {
        // Index rows of traces whose every span went; later partial rows of a trace stay.
        access.everyNodeBlocking(
            c,
            "DELETE FROM "
                + schema.local(Schema.TRACE_INDEX)
                + schema.onCluster()
                + " WHERE tenant = {tenant:String}"
                + " AND last_start < fromUnixTimestamp64Nano({step:Int64})",
            sp);
      }
      deletedRows += measured[0];
      deletedBytes += measured[1];
    }
  }

  /** The tables a partition of the signal lives in (the trace index is partitioned otherwise). */
  private static List<String> tablesOf(Table t) {
    return List.of(t.name);
  }

  private long[] measure(Client c, Table t, String fromWhere, Map<String, Object> p)
      throws Exception {
    return access.queryBlocking(
        c,
        "SELECT count(), sum(" + t.bytes + ")" + fromWhere,
        p,
        in -> new long[] {in.int64(), in.int64()});
  }

  List<Bucket> histogram(Client c, Table t, RowSet rows, long before, long bucket)
      throws Exception {
    Map<String, Object> p = new HashMap<>();
    String set = Selectors.records(rows, p);
    p.put("before", before);
    p.put("bucket", bucket);
    return access.queryBlocking(
        c,
        "SELECT b, count(), sum(bytes) FROM (SELECT toUnixTimestamp64Nano("
            + t.time
            + ") AS n, n - (((n % {bucket:Int64}) + {bucket:Int64}) % {bucket:Int64}) AS b, "
            + t.bytes
            + " AS bytes FROM "
            + schema.table(t.name)
            + t.fin
            + " WHERE 1"
            + set
            + before(t, "before")
            + ") GROUP BY b ORDER BY b",
        p,
        RecordRetention::buckets);
  }

  static List<Bucket> buckets(RowBinaryInput in) {
    List<Bucket> out = new ArrayList<>();
    while (in.hasMore()) {
      out.add(new Bucket(in.int64(), in.int64(), in.int64()));
    }
    return out;
  }

  OptionalLong oldest(Client c, Table t, RowSet rows) throws Exception {
    Map<String, Object> p = new HashMap<>();
    String set = Selectors.records(rows, p);
    return access.queryBlocking(
        c,
        "SELECT count(), toUnixTimestamp64Nano(min("
            + t.time
            + ")) FROM "
            + schema.table(t.name)
            + " WHERE 1"
            + set,
        p,
        in -> {
          long count = in.int64();
          long min = in.int64();
          return count == 0 ? OptionalLong.empty() : OptionalLong.of(min);
        });
  }

  static StorageException notStored(String signal) {
    return new StorageException(
        StorageException.Code.INVALID_ARGUMENT,
        "the clickhouse storage backend does not store " + signal + " for retention by tenant");
  }
}
