package dev.sextant.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One merge of blocks of a level into a new block of the next: the sources (oldest flushes first),
 * the unready target, and the slices of series the work is cut into — per tenant, equal ranges of
 * the (hash-distributed) series ids, so each holds about {@link Compactor#PAGES_PER_SLICE} source
 * pages.
 */
record CompactionJob(
    int level, List<Block> sources, long target, long maxFlush, List<Slice> slices) {

  /** Series of one tenant with ids in {@code [low, high]}. */
  record Slice(int tenantRef, String tenant, long low, long high) {}

  static CompactionJob create(StatementCache statements, int level, List<Block> sources)
      throws SQLException {
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    long firstFlush = Long.MAX_VALUE;
    long lastFlush = Long.MIN_VALUE;
    for (Block source : sources) {
      minTime = Math.min(minTime, source.minTime());
      maxTime = Math.max(maxTime, source.maxTime());
      firstFlush = Math.min(firstFlush, source.firstFlush());
      lastFlush = Math.max(lastFlush, source.lastFlush());
    }
    long target =
        Blocks.insert(statements, level + 1, firstFlush, lastFlush, minTime, maxTime, false);
    List<Slice> slices = new ArrayList<>();
    for (int ref : tenantRefs(statements, sources)) {
      String tenant = tenantName(statements, ref);
      long pages = pageCount(statements, sources, ref);
      int count =
          Integer.highestOneBit(
              (int) Math.max(1, Math.min(1 << 20, pages / Compactor.PAGES_PER_SLICE)));
      if (count < pages / Compactor.PAGES_PER_SLICE) {
        count <<= 1;
      }
      slices.addAll(split(ref, tenant, count));
    }
    return new CompactionJob(level, List.copyOf(sources), target, lastFlush, slices);
  }

  /** {@code count} (a power of two) equal ranges covering every signed 64-bit id. */
  static List<Slice> split(int ref, String tenant, int count) {
    List<Slice> slices = new ArrayList<>(count);
    if (count == 1) {
      slices.add(new Slice(ref, tenant, Long.MIN_VALUE, Long.MAX_VALUE));
      return slices;
    }
    long width = 1L << (64 - Integer.numberOfTrailingZeros(count));
    for (int i = 0; i < count; i++) {
      long low = Long.MIN_VALUE + i * width;
      long high = i == count - 1 ? Long.MAX_VALUE : low + width - 1;
      slices.add(new Slice(ref, tenant, low, high));
    }
    return slices;
  }

  private static TreeSet<Integer> tenantRefs(StatementCache statements, List<Block> sources)
      throws SQLException {
    TreeSet<Integer> refs = new TreeSet<>();
    // Rollup pages too: retention may have left a tenant's rollups in a block without its chunks.
    for (PageTable table : PageTable.values()) {
      PreparedStatement select =
          statements.prepare(
              "SELECT DISTINCT tenant_ref FROM " + table.table() + " WHERE block = ?");
      for (Block source : sources) {
        select.setLong(1, source.id());
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            refs.add(rows.getInt(1));
          }
        }
      }
    }
    return refs;
  }

  private static String tenantName(StatementCache statements, int ref) throws SQLException {
    PreparedStatement select = statements.prepare("SELECT tenant FROM tenants WHERE ref = ?");
    select.setInt(1, ref);
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        throw new IllegalStateException("chunks of an unknown tenant number " + ref);
      }
      return rows.getString(1);
    }
  }

  private static long pageCount(StatementCache statements, List<Block> sources, int ref)
      throws SQLException {
    PreparedStatement count =
        statements.prepare("SELECT count(*) FROM chunks WHERE block = ? AND tenant_ref = ?");
    long pages = 0;
    for (Block source : sources) {
      count.setLong(1, source.id());
      count.setInt(2, ref);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        pages += rows.getLong(1);
      }
    }
    return pages;
  }
}
