package dev.sextant.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The {@code blocks} table and the page rows of a block, for the writer thread. */
final class Blocks {
  private Blocks() {}

  /** The next flush number, counted in the writer row so every process continues it. */
  static long nextFlush(StatementCache statements) throws SQLException {
    statements.execute("UPDATE writer SET flush_seq = flush_seq + 1 WHERE id = 1");
    try (ResultSet rows =
        statements.prepare("SELECT flush_seq FROM writer WHERE id = 1").executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static long insert(
      StatementCache statements,
      int level,
      long firstFlush,
      long lastFlush,
      long minTime,
      long maxTime,
      boolean ready)
      throws SQLException {
    PreparedStatement insert =
        statements.prepare(
            "INSERT INTO blocks (level, first_flush, last_flush, min_time, max_time, ready)"
                + " VALUES (?,?,?,?,?,?)");
    insert.setInt(1, level);
    insert.setLong(2, firstFlush);
    insert.setLong(3, lastFlush);
    insert.setLong(4, minTime);
    insert.setLong(5, maxTime);
    insert.setInt(6, ready ? 1 : 0);
    insert.executeUpdate();
    try (ResultSet rows = statements.prepare("SELECT last_insert_rowid()").executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static void insertPages(
      StatementCache statements,
      PageTable table,
      long block,
      int tenantRef,
      List<SeriesPages.Page> pages)
      throws SQLException {
    if (pages.isEmpty()) {
      return;
    }
    PreparedStatement insert =
        statements.prepare(
            "INSERT INTO "
                + table.table()
                + " (block, tenant_ref, first_series, data) VALUES (?,?,?,?)");
    for (SeriesPages.Page page : pages) {
      insert.setLong(1, block);
      insert.setInt(2, tenantRef);
      insert.setLong(3, page.firstSeriesId());
      insert.setBytes(4, page.data());
      insert.addBatch();
    }
    insert.executeBatch();
  }

  /** The ready blocks of a level, oldest flushes first. */
  static List<Block> ready(StatementCache statements, int level) throws SQLException {
    PreparedStatement select =
        statements.prepare(
            "SELECT "
                + Block.COLUMNS
                + " FROM blocks WHERE ready = 1 AND level = ? ORDER BY last_flush");
    select.setInt(1, level);
    return read(select);
  }

  private static List<Block> read(PreparedStatement select) throws SQLException {
    List<Block> blocks = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        blocks.add(Block.read(rows));
      }
    }
    return blocks;
  }

  /** Unlists a block; its rows are deleted later, a slice at a time ({@link #collectGarbage}). */
  static void discard(StatementCache statements, long block) throws SQLException {
    PreparedStatement delete = statements.prepare("DELETE FROM blocks WHERE id = ?");
    delete.setLong(1, block);
    delete.executeUpdate();
    PreparedStatement garbage =
        statements.prepare("INSERT OR IGNORE INTO garbage (block) VALUES (?)");
    garbage.setLong(1, block);
    garbage.executeUpdate();
  }

  /** Deletes every row of unlisted blocks, {@code budget} rows per transaction. */
  static CompletableFuture<Void> collectAllGarbage(SqliteDatabase database, int budget) {
    return database
        .writeInternal(
            new WriteTask<Integer>() {
              @Override
              public int rows() {
                return budget;
              }

              @Override
              public Integer apply(StatementCache statements) throws SQLException {
                return collectGarbage(statements, budget);
              }
            })
        .thenCompose(
            deleted ->
                deleted > 0
                    ? collectAllGarbage(database, budget)
                    : CompletableFuture.completedFuture(null));
  }

  /**
   * Deletes up to {@code budget} page rows of unlisted blocks; returns how many went (0: none left,
   * and the garbage list is empty).
   */
  static int collectGarbage(StatementCache statements, int budget) throws SQLException {
    List<Long> blocks = new ArrayList<>();
    try (ResultSet rows =
        statements.prepare("SELECT block FROM garbage ORDER BY block LIMIT 8").executeQuery()) {
      while (rows.next()) {
        blocks.add(rows.getLong(1));
      }
    }
    int deleted = 0;
    for (long block : blocks) {
      boolean empty = true;
      for (PageTable table : PageTable.values()) {
        PreparedStatement delete =
            statements.prepare(
                "DELETE FROM "
                    + table.table()
                    + " WHERE block = ?1 AND (tenant_ref, first_series) IN (SELECT tenant_ref,"
                    + " first_series FROM "
                    + table.table()
                    + " WHERE block = ?1 LIMIT ?2)");
        int limit = budget - deleted;
        delete.setLong(1, block);
        delete.setInt(2, limit);
        int n = delete.executeUpdate();
        deleted += n;
        empty &= n < limit;
        if (deleted >= budget) {
          return deleted;
        }
      }
      if (empty) {
        PreparedStatement done = statements.prepare("DELETE FROM garbage WHERE block = ?");
        done.setLong(1, block);
        done.executeUpdate();
        deleted++;
      }
    }
    return deleted;
  }
}
