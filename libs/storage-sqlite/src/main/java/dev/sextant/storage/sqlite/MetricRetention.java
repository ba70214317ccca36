package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.sqlite.PageTrim.PageRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes metric points older than a cutoff in small transactions through the writer, so writes
 * wait for one step at most: blocks wholly older go page by page; blocks reaching past the cutoff
 * have their pages rewritten without the old points and rollup windows; then series left without
 * points go, and the others get their first time raised. Works from any process.
 *
 * <p>A rewritten block's version changes, so a compaction merging it in another process gives up
 * rather than bring old points back.
 */
final class MetricRetention {
  private MetricRetention() {}

  /**
   * Pages rewritten per transaction at most: a page is a few dozen series' chunks, decoded and
   * encoded again, so far heavier than the rows {@code deleteBatchRows} counts.
   */
  private static final int MAX_PAGES_PER_STEP = 256;

  static CompletableFuture<Long> deleteOlderThan(
      SqliteDatabase database, long cutoff, int deleteBatchRows) {
    int budget = Math.max(1, Math.min(MAX_PAGES_PER_STEP, deleteBatchRows));
    return blocks(database, cutoff, budget, new Cursor(), 0)
        .thenCompose(
            deleted ->
                series(database, cutoff, budget)
                    .thenCompose(ignored -> Blocks.collectAllGarbage(database, deleteBatchRows))
                    .thenCompose(ignored -> Retention.vacuum(database))
                    .thenApply(ignored -> deleted));
  }

  /** Where the rewrite of a block stands between steps. */
  private static final class Cursor {
    long block = -1;
    PageTable table = PageTable.CHUNKS;
    int tenantRef = Integer.MIN_VALUE;
    long firstSeries = Long.MIN_VALUE;

    void startBlock(long id) {
      block = id;
      table = PageTable.CHUNKS;
      tenantRef = Integer.MIN_VALUE;
      firstSeries = Long.MIN_VALUE;
    }
  }

  private record Step(long deleted, boolean more) {}

  private static CompletableFuture<Long> blocks(
      SqliteDatabase database, long cutoff, int budget, Cursor cursor, long sum) {
    return database
        .write(new BlockStep(cutoff, budget, cursor))
        .thenCompose(
            step ->
                step.more()
                    ? blocks(database, cutoff, budget, cursor, sum + step.deleted())
                    : CompletableFuture.completedFuture(sum + step.deleted()));
  }

  /** One transaction's worth of the oldest block reaching before the cutoff. */
  private record BlockStep(long cutoff, int budget, Cursor cursor) implements WriteTask<Step> {
    @Override
    public int rows() {
      return budget;
    }

    @Override
    public Step apply(StatementCache statements) throws SQLException {
      PreparedStatement select =
          statements.prepare(
              "SELECT id, max_time FROM blocks WHERE ready = 1 AND min_time < ?"
                  + " ORDER BY min_time, id LIMIT 1");
      select.setLong(1, cutoff);
      long id;
      long maxTime;
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return new Step(0, false);
        }
        id = rows.getLong(1);
        maxTime = rows.getLong(2);
      }
      if (cursor.block != id) {
        cursor.startBlock(id);
        PreparedStatement bump =
            statements.prepare("UPDATE blocks SET version = version + 1 WHERE id = ?");
        bump.setLong(1, id);
        bump.executeUpdate();
      }
      long deleted = 0;
      int pages = 0;
      while (pages < budget) {
        List<PageRow> rows = nextPages(statements, cursor, Math.min(64, budget - pages));
        if (rows.isEmpty()) {
          if (cursor.table.ordinal() + 1 < PageTable.values().length) {
            cursor.table = PageTable.values()[cursor.table.ordinal() + 1];
            cursor.tenantRef = Integer.MIN_VALUE;
            cursor.firstSeries = Long.MIN_VALUE;
            continue;
          }
          finish(statements, id, maxTime < cutoff);
          return new Step(deleted, true);
        }
        for (PageRow row : rows) {
          deleted +=
              trim(statements, cursor.table, id, row, maxTime < cutoff ? Long.MAX_VALUE : cutoff);
          cursor.tenantRef = row.tenantRef();
          cursor.firstSeries = row.firstSeries();
          pages++;
        }
      }
      return new Step(deleted, true);
    }

    /** Every page is done: the block goes, or starts at the cutoff now. */
    private void finish(StatementCache statements, long id, boolean wholly) throws SQLException {
      PreparedStatement done =
          statements.prepare(
              wholly
                  ? "DELETE FROM blocks WHERE id = ?"
                  : "UPDATE blocks SET min_time = max(min_time, "
                      + cutoff
                      + "), version = version + 1 WHERE id = ?");
      done.setLong(1, id);
      done.executeUpdate();
      cursor.block = -1;
    }
  }

  private static List<PageRow> nextPages(StatementCache statements, Cursor cursor, int limit)
      throws SQLException {
    PreparedStatement select =
        statements.prepare(
            "SELECT tenant_ref, first_series, data FROM "
                + cursor.table.table()
                + " WHERE block = ? AND (tenant_ref, first_series) > (?, ?)"
                + " ORDER BY tenant_ref, first_series LIMIT ?");
    select.setLong(1, cursor.block);
    select.setInt(2, cursor.tenantRef);
    select.setLong(3, cursor.firstSeries);
    select.setInt(4, limit);
    List<PageRow> rows = new ArrayList<>();
    try (ResultSet result = select.executeQuery()) {
      while (result.next()) {
        rows.add(new PageRow(result.getInt(1), result.getLong(2), result.getBytes(3)));
      }
    }
    return rows;
  }

  /**
   * Rewrites one page without what is older than the cutoff (everything, for a block wholly before
   * the real cutoff: {@code Long.MAX_VALUE}); returns the points dropped.
   */
  private static long trim(
      StatementCache statements, PageTable table, long block, PageRow row, long cutoff)
      throws SQLException {
    return PageTrim.trim(statements, table, block, row, cutoff, id -> true).rows();
  }

  private static CompletableFuture<Void> series(SqliteDatabase database, long cutoff, int budget) {
    return database
        .write(new SeriesStep(cutoff, budget))
        .thenCompose(
            more ->
                more ? series(database, cutoff, budget) : CompletableFuture.completedFuture(null));
  }

  /**
   * Series whose first time is before the cutoff: gone when no point is left, else their first time
   * raised (and their last time moved to a point still stored). Retention of series rows bumps the
   * epoch, so writers define those series again.
   */
  private record SeriesStep(long cutoff, int budget) implements WriteTask<Boolean> {
    @Override
    public int rows() {
      return budget;
    }

    @Override
    public Boolean apply(StatementCache statements) throws SQLException {
      PreparedStatement select =
          statements.prepare(
              "SELECT s.tenant, s.series_id, s.last_time, s.last_bound, t.ref FROM series s"
                  + " LEFT JOIN tenants t ON t.tenant = s.tenant WHERE s.first_time < ? LIMIT ?");
      select.setLong(1, cutoff);
      int limit = budget;
      select.setInt(2, limit);
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.add(
              new Object[] {
                result.getString(1),
                result.getLong(2),
                result.getLong(3),
                result.getLong(4),
                result.getObject(5) == null ? TenantRefs.UNKNOWN : result.getInt(5)
              });
        }
      }
      boolean deletedAny = false;
      for (Object[] row : rows) {
        String tenant = (String) row[0];
        long id = (Long) row[1];
        long lastTime = (Long) row[2];
        long lastBound = (Long) row[3];
        int ref = (Integer) row[4];
        long newest = Long.MIN_VALUE;
        if (lastTime >= cutoff) {
          newest = lastTime;
        } else if (lastBound >= cutoff && ref != TenantRefs.UNKNOWN) {
          MetricPoint point =
              BlockReader.newestBefore(statements, ref, id, Long.MAX_VALUE, false, BlockFilter.ALL);
          newest = point == null ? Long.MIN_VALUE : point.timeUnixNanos();
        }
        if (newest < cutoff) {
          PreparedStatement delete =
              statements.prepare("DELETE FROM series WHERE tenant = ? AND series_id = ?");
          delete.setString(1, tenant);
          delete.setLong(2, id);
          delete.executeUpdate();
          deletedAny = true;
        } else {
          PreparedStatement update =
              statements.prepare(
                  "UPDATE series SET first_time = ?, last_time = max(last_time, ?)"
                      + " WHERE tenant = ? AND series_id = ?");
          update.setLong(1, cutoff);
          update.setLong(2, newest);
          update.setString(3, tenant);
          update.setLong(4, id);
          update.executeUpdate();
        }
      }
      if (deletedAny) {
        statements.execute("UPDATE writer SET retention_epoch = retention_epoch + 1 WHERE id = 1");
      }
      return rows.size() == limit;
    }
  }
}
