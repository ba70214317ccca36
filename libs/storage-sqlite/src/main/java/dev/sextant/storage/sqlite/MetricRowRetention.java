package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.BucketCounter;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.sqlite.PageTrim.PageRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/**
 * Retention of one tenant's metric rows, one table at a time (ADR 0011): raw samples ({@code
 * chunks}) or the windows of one rollup tier, of the series a {@link RowSet} selects. Pages of
 * compacted blocks (level 1 and up: rolled up) are rewritten a few hundred per transaction through
 * the writer; a block left without any page goes. Raw samples go only before the hour where the
 * tenant's oldest uncompacted sample is (before it, compaction has stored the rollups for good),
 * and that hour becomes the tenant's raw floor: compaction no longer recomputes older windows from
 * samples that are gone, and readers of older ranges use the rollups.
 */
final class MetricRowRetention {
  private MetricRowRetention() {}

  // ------------------------------------------------------------------ floors

  /** Where the tenant's rollups are complete: the hour of its oldest uncompacted sample. */
  static long rollupsCompleteBefore(StatementCache statements, int tenantRef) throws SQLException {
    if (tenantRef == TenantRefs.UNKNOWN) {
      return Long.MAX_VALUE;
    }
    PreparedStatement select =
        statements.prepare(
            "SELECT min(b.min_time) FROM blocks b WHERE b.level = 0 AND EXISTS"
                + " (SELECT 1 FROM chunks c WHERE c.block = b.id AND c.tenant_ref = ?)");
    select.setInt(1, tenantRef);
    try (ResultSet rows = select.executeQuery()) {
      rows.next();
      long oldest = rows.getLong(1);
      return rows.wasNull() ? Long.MAX_VALUE : RollupTier.ONE_HOUR.windowStart(oldest);
    }
  }

  /** Before this, the tenant's raw samples may be gone while their rollups stay. */
  static long rawFloor(StatementCache statements, String tenant) throws SQLException {
    PreparedStatement select = statements.prepare("SELECT floor FROM raw_floors WHERE tenant = ?");
    select.setString(1, tenant);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getLong(1) : Long.MIN_VALUE;
    }
  }

  private static void raiseFloor(StatementCache statements, String tenant, long floor)
      throws SQLException {
    PreparedStatement upsert =
        statements.prepare(
            "INSERT INTO raw_floors (tenant, floor) VALUES (?, ?)"
                + " ON CONFLICT (tenant) DO UPDATE SET floor = max(floor, excluded.floor)");
    upsert.setString(1, tenant);
    upsert.setLong(2, floor);
    upsert.executeUpdate();
  }

  /** The raw cutoff retention applies: before the rollup frontier, on an hour. */
  private static long rawCutoff(StatementCache statements, int tenantRef, long asked)
      throws SQLException {
    long cutoff = Math.min(asked, rollupsCompleteBefore(statements, tenantRef));
    return cutoff == Long.MAX_VALUE || cutoff == Long.MIN_VALUE
        ? cutoff
        : RollupTier.ONE_HOUR.windowStart(cutoff);
  }

  // ------------------------------------------------------------------ which series

  /**
   * The series of the set: null for every series of the tenant, else the ids of the series whose
   * labels the set selects.
   */
  static Set<Long> seriesOf(StatementCache statements, RowSet rows) throws SQLException {
    if (rows.isWholeTenant()) {
      return null;
    }
    PreparedStatement select =
        statements.prepare(
            "SELECT series_id, " + SeriesRows.COLUMNS + " FROM series WHERE tenant = ?");
    select.setString(1, rows.tenant());
    Set<Long> ids = new HashSet<>();
    try (ResultSet result = select.executeQuery()) {
      while (result.next()) {
        MetricSeries series = SeriesRows.read(rows.tenant(), result, 2);
        if (rows.matches(series)) {
          ids.add(result.getLong(1));
        }
      }
    }
    return ids;
  }

  private static LongPredicate filter(Set<Long> ids) {
    return ids == null ? id -> true : ids::contains;
  }

  // ------------------------------------------------------------------ delete

  /** Where a deletion stands between its transactions. */
  private static final class Cursor {
    final PageTable table;
    final RowSet rows;
    final long askedCutoff;
    final int pagesPerStep;
    Set<Long> series;
    int tenantRef = TenantRefs.UNKNOWN;
    long cutoff;
    boolean planned;
    long block = 0;
    long firstSeries = Long.MIN_VALUE;
    boolean blockChanged;

    Cursor(PageTable table, RowSet rows, long askedCutoff, int pagesPerStep) {
      this.table = table;
      this.rows = rows;
      this.askedCutoff = askedCutoff;
      this.pagesPerStep = pagesPerStep;
    }
  }

  private record Step(long rows, long bytes, boolean done) {}

  static CompletableFuture<Deleted> delete(
      SqliteDatabase database,
      PageTable table,
      RowSet rows,
      long cutoff,
      int maxRows,
      int pagesPerStep) {
    Cursor cursor = new Cursor(table, rows, cutoff, pagesPerStep);
    return steps(database, cursor, maxRows, 0, 0);
  }

  private static CompletableFuture<Deleted> steps(
      SqliteDatabase database, Cursor cursor, int maxRows, long sumRows, long sumBytes) {
    return database
        .write(new DeleteStep(cursor))
        .thenCompose(
            step -> {
              long rows = sumRows + step.rows();
              long bytes = sumBytes + step.bytes();
              if (step.done()) {
                return cleanSeries(database, cursor)
                    .thenApply(ignored -> new Deleted(rows, bytes, false, cursor.cutoff));
              }
              if (rows >= maxRows) {
                return CompletableFuture.completedFuture(
                    new Deleted(rows, bytes, true, cursor.cutoff));
              }
              return steps(database, cursor, maxRows, rows, bytes);
            });
  }

  /**
   * One transaction: the first also fixes the cutoff (and the raw floor) against the blocks as they
   * are then; each rewrites at most {@code pagesPerStep} pages of compacted blocks.
   */
  private record DeleteStep(Cursor cursor) implements WriteTask<Step> {
    @Override
    public int rows() {
      return cursor.pagesPerStep;
    }

    @Override
    public Step apply(StatementCache statements) throws SQLException {
      if (!cursor.planned) {
        cursor.tenantRef = tenantRef(statements, cursor.rows.tenant());
        cursor.cutoff =
            cursor.table == PageTable.CHUNKS
                ? rawCutoff(statements, cursor.tenantRef, cursor.askedCutoff)
                : cursor.askedCutoff;
        cursor.series = seriesOf(statements, cursor.rows);
        cursor.planned = true;
        if (cursor.table == PageTable.CHUNKS && cursor.cutoff != Long.MIN_VALUE) {
          raiseFloor(statements, cursor.rows.tenant(), cursor.cutoff);
        }
      }
      if (cursor.tenantRef == TenantRefs.UNKNOWN || cursor.cutoff == Long.MIN_VALUE) {
        return new Step(0, 0, true);
      }
      LongPredicate series = filter(cursor.series);
      long rows = 0;
      long bytes = 0;
      int pages = 0;
      while (pages < cursor.pagesPerStep) {
        long block = nextBlock(statements, cursor);
        if (block < 0) {
          return new Step(rows, bytes, true);
        }
        List<PageRow> page = nextPages(statements, cursor, block, 32);
        if (page.isEmpty()) {
          finishBlock(statements, cursor, block);
          continue;
        }
        for (PageRow row : page) {
          PageTrim.Removed removed =
              PageTrim.trim(statements, cursor.table, block, row, cursor.cutoff, series);
          if (removed.rows() > 0 && !cursor.blockChanged) {
            // A compaction merging this block meanwhile must give up rather than bring rows back.
            PreparedStatement bump =
                statements.prepare("UPDATE blocks SET version = version + 1 WHERE id = ?");
            bump.setLong(1, block);
            bump.executeUpdate();
            cursor.blockChanged = true;
          }
          rows += removed.rows();
          bytes += removed.bytes();
          cursor.firstSeries = row.firstSeries();
          pages++;
        }
      }
      return new Step(rows, bytes, false);
    }
  }

  private static int tenantRef(StatementCache statements, String tenant) throws SQLException {
    PreparedStatement select = statements.prepare("SELECT ref FROM tenants WHERE tenant = ?");
    select.setString(1, tenant);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getInt(1) : TenantRefs.UNKNOWN;
    }
  }

  /**
   * The compacted block the cursor is in or the next one that may hold rows before the cutoff; -1
   * when none is left. Level 0 is never touched: it is not rolled up yet.
   */
  private static long nextBlock(StatementCache statements, Cursor cursor) throws SQLException {
    PreparedStatement select =
        statements.prepare(
            "SELECT id FROM blocks WHERE ready = 1 AND level >= 1 AND min_time < ? AND id >= ?"
                + " ORDER BY id LIMIT 1");
    select.setLong(1, cursor.cutoff);
    select.setLong(2, cursor.block);
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        return -1;
      }
      long id = rows.getLong(1);
      if (id != cursor.block) {
        cursor.block = id;
        cursor.firstSeries = Long.MIN_VALUE;
        cursor.blockChanged = false;
      }
      return id;
    }
  }

  private static List<PageRow> nextPages(
      StatementCache statements, Cursor cursor, long block, int limit) throws SQLException {
    PreparedStatement select =
        statements.prepare(
            "SELECT first_series, data FROM "
                + cursor.table.table()
                + " WHERE block = ? AND tenant_ref = ? AND first_series > ?"
                + " ORDER BY first_series LIMIT ?");
    select.setLong(1, block);
    select.setInt(2, cursor.tenantRef);
    select.setLong(3, cursor.firstSeries);
    select.setInt(4, limit);
    List<PageRow> rows = new ArrayList<>();
    try (ResultSet result = select.executeQuery()) {
      while (result.next()) {
        rows.add(new PageRow(cursor.tenantRef, result.getLong(1), result.getBytes(2)));
      }
    }
    return rows;
  }

  /** The tenant's pages of the block are done: a block left without any page goes. */
  private static void finishBlock(StatementCache statements, Cursor cursor, long block)
      throws SQLException {
    boolean empty = true;
    for (PageTable table : PageTable.values()) {
      PreparedStatement any =
          statements.prepare("SELECT 1 FROM " + table.table() + " WHERE block = ? LIMIT 1");
      any.setLong(1, block);
      try (ResultSet rows = any.executeQuery()) {
        empty &= !rows.next();
      }
    }
    if (empty) {
      PreparedStatement delete = statements.prepare("DELETE FROM blocks WHERE id = ?");
      delete.setLong(1, block);
      delete.executeUpdate();
    }
    cursor.block = block + 1;
    cursor.firstSeries = Long.MIN_VALUE;
    cursor.blockChanged = false;
  }

  /**
   * Series of the set last seen before the cutoff whose blocks hold nothing any more — no sample,
   * no rollup — lose their row; writers are told to define them again (the retention epoch).
   */
  private static CompletableFuture<Void> cleanSeries(SqliteDatabase database, Cursor cursor) {
    if (cursor.tenantRef == TenantRefs.UNKNOWN || cursor.cutoff == Long.MIN_VALUE) {
      return CompletableFuture.completedFuture(null);
    }
    return database.write(
        new WriteTask<Void>() {
          @Override
          public int rows() {
            return cursor.pagesPerStep;
          }

          @Override
          public Void apply(StatementCache statements) throws SQLException {
            PreparedStatement select =
                statements.prepare(
                    "SELECT series_id FROM series WHERE tenant = ? AND last_bound < ?");
            select.setString(1, cursor.rows.tenant());
            select.setLong(2, cursor.cutoff);
            List<Long> stale = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                long id = rows.getLong(1);
                if (cursor.series == null || cursor.series.contains(id)) {
                  stale.add(id);
                }
              }
            }
            boolean deletedAny = false;
            PreparedStatement delete =
                statements.prepare("DELETE FROM series WHERE tenant = ? AND series_id = ?");
            for (long id : stale) {
              if (holdsAnything(statements, cursor.tenantRef, id)) {
                continue;
              }
              delete.setString(1, cursor.rows.tenant());
              delete.setLong(2, id);
              delete.executeUpdate();
              deletedAny = true;
            }
            if (deletedAny) {
              statements.execute(
                  "UPDATE writer SET retention_epoch = retention_epoch + 1 WHERE id = 1");
            }
            return null;
          }
        });
  }

  private static boolean holdsAnything(StatementCache statements, int tenantRef, long id)
      throws SQLException {
    for (PageTable table : PageTable.values()) {
      if (!BlockReader.find(
              statements, table, tenantRef, id, Long.MIN_VALUE, Long.MAX_VALUE, BlockFilter.ALL)
          .isEmpty()) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ reads

  /** Calls {@code visit} with every payload of the set's series in ready blocks of a table. */
  private interface Visitor {
    /** Returns false to stop. */
    boolean visit(long blockMinTime, long seriesId, SeriesPages.Slice payload);
  }

  private static void forEachPayload(
      StatementCache statements,
      PageTable table,
      int tenantRef,
      LongPredicate series,
      long before,
      int minLevel,
      Visitor visitor)
      throws SQLException {
    PreparedStatement blocks =
        statements.prepare(
            "SELECT id, min_time FROM blocks WHERE ready = 1 AND level >= ? AND min_time < ?"
                + " ORDER BY min_time, id");
    blocks.setInt(1, minLevel);
    blocks.setLong(2, before);
    List<long[]> found = new ArrayList<>();
    try (ResultSet rows = blocks.executeQuery()) {
      while (rows.next()) {
        found.add(new long[] {rows.getLong(1), rows.getLong(2)});
      }
    }
    PreparedStatement pages =
        statements.prepare(
            "SELECT data FROM " + table.table() + " WHERE block = ? AND tenant_ref = ?");
    for (long[] block : found) {
      pages.setLong(1, block[0]);
      pages.setInt(2, tenantRef);
      try (ResultSet rows = pages.executeQuery()) {
        while (rows.next()) {
          SeriesPages.Entries entries = SeriesPages.read(rows.getBytes(1));
          for (int i = 0; i < entries.ids().length; i++) {
            if (series.test(entries.ids()[i])
                && !visitor.visit(block[1], entries.ids()[i], entries.slice(i))) {
              return;
            }
          }
        }
      }
    }
  }

  static List<Bucket> histogram(
      StatementCache statements, PageTable table, RowSet set, long before, long bucketNanos)
      throws SQLException {
    int ref = tenantRef(statements, set.tenant());
    BucketCounter counter = new BucketCounter(bucketNanos);
    if (ref == TenantRefs.UNKNOWN) {
      return counter.buckets();
    }
    LongPredicate series = filter(seriesOf(statements, set));
    if (table == PageTable.CHUNKS) {
      long cutoff = rawCutoff(statements, ref, before);
      forEachPayload(
          statements,
          table,
          ref,
          series,
          cutoff,
          1,
          (blockMin, id, slice) -> {
            List<MetricPoint> points =
                ChunkCodec.decode(slice.data(), slice.offset(), slice.length());
            long each = Math.max(1, slice.length() / Math.max(1, points.size()));
            for (MetricPoint p : points) {
              if (p.timeUnixNanos() < cutoff) {
                counter.add(p.timeUnixNanos(), 1, each);
              }
            }
            return true;
          });
    } else {
      RollupTier tier = tierOf(table);
      forEachPayload(
          statements,
          table,
          ref,
          series,
          before,
          1,
          (blockMin, id, slice) -> {
            List<RollupCodec.Stored> windows =
                RollupCodec.decode(slice.data(), slice.offset(), slice.length());
            long each = Math.max(1, slice.length() / Math.max(1, windows.size()));
            for (RollupCodec.Stored w : windows) {
              if (PageTrim.endedBy(w.windowStartUnixNanos(), tier, before)) {
                counter.add(w.windowStartUnixNanos(), 1, each);
              }
            }
            return true;
          });
    }
    return counter.buckets();
  }

  static OptionalLong oldest(StatementCache statements, PageTable table, RowSet set)
      throws SQLException {
    int ref = tenantRef(statements, set.tenant());
    if (ref == TenantRefs.UNKNOWN) {
      return OptionalLong.empty();
    }
    LongPredicate series = filter(seriesOf(statements, set));
    long slack = table == PageTable.CHUNKS ? 0 : tierOf(table).nanos();
    long[] oldest = {Long.MAX_VALUE};
    forEachPayload(
        statements,
        table,
        ref,
        series,
        Long.MAX_VALUE,
        0,
        (blockMin, id, slice) -> {
          // Blocks come by their oldest sample; a window starts at most a tier before it.
          if (blockMin - slack >= oldest[0]) {
            return false;
          }
          long first =
              table == PageTable.CHUNKS
                  ? ChunkCodec.header(slice.data(), slice.offset(), slice.length()).minTime()
                  : RollupCodec.decode(slice.data(), slice.offset(), slice.length())
                      .getFirst()
                      .windowStartUnixNanos();
          oldest[0] = Math.min(oldest[0], first);
          return true;
        });
    return oldest[0] == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest[0]);
  }

  private static RollupTier tierOf(PageTable table) {
    return switch (table) {
      case ROLLUPS_1M -> RollupTier.ONE_MINUTE;
      case ROLLUPS_1H -> RollupTier.ONE_HOUR;
      case CHUNKS -> throw new IllegalArgumentException("chunks have no tier");
    };
  }
}
