package dev.sextant.storage.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes old rows in small transactions through the writer thread, so ingest waits for at most one
 * batch, then gives the freed pages back to the file system ({@code auto_vacuum = INCREMENTAL}, one
 * slice of pages per transaction).
 */
final class Retention {
  private static final int VACUUM_PAGES_PER_STEP = 2048;

  private Retention() {}

  /**
   * Deletes the records of {@code table} (spans or logs) whose {@code timeColumn} is before the
   * cutoff, then the resources no remaining record can use, then frees the pages.
   */
  static CompletableFuture<Long> deleteRecordsOlderThan(
      SqliteDatabase database, String table, String timeColumn, long cutoff, int batchRows) {
    return deleteRowsOlderThan(database, table, timeColumn, cutoff, batchRows)
        .thenCompose(
            deleted ->
                Resources.deleteUnused(database, cutoff)
                    .thenCompose(ignored -> vacuum(database))
                    .thenApply(ignored -> deleted));
  }

  /**
   * Deletes the rows of {@code table} whose {@code timeColumn} is before the cutoff, tenant by
   * tenant through the {@code (tenant, timeColumn)} index, {@code batchRows} per transaction.
   */
  static CompletableFuture<Long> deleteRowsOlderThan(
      SqliteDatabase database, String table, String timeColumn, long cutoff, int batchRows) {
    String delete =
        "DELETE FROM "
            + table
            + " WHERE rowid IN (SELECT rowid FROM "
            + table
            + " WHERE tenant = ? AND "
            + timeColumn
            + " < ? LIMIT ?)";
    return database
        .read(statements -> tenants(statements, table))
        .thenCompose(
            tenants -> {
              CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
              for (String tenant : tenants) {
                total =
                    total.thenCompose(
                        sum -> deleteBatches(database, delete, tenant, cutoff, batchRows, sum));
              }
              return total;
            });
  }

  private static CompletableFuture<Long> deleteBatches(
      SqliteDatabase database, String delete, String tenant, long cutoff, int batchRows, long sum) {
    return database
        .write(
            new WriteTask<Integer>() {
              @Override
              public int rows() {
                return batchRows;
              }

              @Override
              public Integer apply(StatementCache statements) throws SQLException {
                PreparedStatement statement = statements.prepare(delete);
                statement.setString(1, tenant);
                statement.setLong(2, cutoff);
                statement.setInt(3, batchRows);
                return statement.executeUpdate();
              }
            })
        .thenCompose(
            deleted ->
                deleted < batchRows
                    ? CompletableFuture.completedFuture(sum + deleted)
                    : deleteBatches(database, delete, tenant, cutoff, batchRows, sum + deleted));
  }

  /**
   * The distinct tenants of a table, found by skipping through its tenant-leading index one seek
   * per tenant rather than scanning every row.
   */
  static List<String> tenants(StatementCache statements, String table) throws SQLException {
    String sql =
        "WITH RECURSIVE t(tenant) AS (SELECT min(tenant) FROM "
            + table
            + " UNION ALL SELECT (SELECT min(tenant) FROM "
            + table
            + " WHERE tenant > t.tenant) FROM t WHERE t.tenant IS NOT NULL)"
            + " SELECT tenant FROM t WHERE tenant IS NOT NULL";
    List<String> tenants = new ArrayList<>();
    try (ResultSet rows = statements.prepare(sql).executeQuery()) {
      while (rows.next()) {
        tenants.add(rows.getString(1));
      }
    }
    return tenants;
  }

  /**
   * Frees the file's unused pages, a slice per transaction, until none are left or a step frees
   * nothing (a file created before auto_vacuum was set cannot shrink this way).
   */
  static CompletableFuture<Void> vacuum(SqliteDatabase database) {
    return vacuum(database, Long.MAX_VALUE);
  }

  private static CompletableFuture<Void> vacuum(SqliteDatabase database, long freeBefore) {
    return database
        .write(
            new WriteTask<Long>() {
              @Override
              public int rows() {
                return VACUUM_PAGES_PER_STEP;
              }

              @Override
              public Long apply(StatementCache statements) throws SQLException {
                statements.execute("PRAGMA incremental_vacuum(" + VACUUM_PAGES_PER_STEP + ")");
                return freePages(statements);
              }
            })
        .thenCompose(
            left ->
                left > 0 && left < freeBefore
                    ? vacuum(database, left)
                    : CompletableFuture.completedFuture(null));
  }

  static long freePages(StatementCache statements) throws SQLException {
    try (ResultSet rows = statements.prepare("PRAGMA freelist_count").executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
