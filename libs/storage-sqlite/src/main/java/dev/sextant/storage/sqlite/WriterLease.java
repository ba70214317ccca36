package dev.sextant.storage.sqlite;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which process flushes metrics.db: the one holding the lease in the {@code writer} row (its
 * session and a heartbeat). Every process may append to the write-ahead log; only the lease holder
 * turns the log into chunks, so two heads never store the same rows. {@code startWriting} takes the
 * lease; a process that writes without it takes it when nobody holds it or the holder stopped
 * heartbeating. A holder finds out at its next flush that the lease was taken, and drops its head:
 * the new holder picks up every row that was not flushed.
 *
 * <p>The SQL methods run inside the writer's transactions; the fields change only in the commit
 * hooks, on the writer thread.
 */
final class WriterLease {
  private final long session;
  private final long timeoutMillis;
  private final long heartbeatMillis;

  private volatile boolean owner;

  /** Log rows below this id are not in the head: the next flush reads them from the table. */
  private long headFrom;

  private long lastHeartbeat;

  WriterLease(long timeoutMillis) {
    long random = 0;
    while (random == 0) {
      random = new SecureRandom().nextLong();
    }
    this.session = random;
    this.timeoutMillis = timeoutMillis;
    this.heartbeatMillis = Math.max(1, timeoutMillis / 6);
  }

  long session() {
    return session;
  }

  boolean isOwner() {
    return owner;
  }

  long headFrom() {
    return headFrom;
  }

  /** The writer row. */
  record Row(long session, long heartbeat, long retentionEpoch) {}

  static Row read(StatementCache statements) throws SQLException {
    try (ResultSet rows =
        statements
            .prepare("SELECT session, heartbeat, retention_epoch FROM writer WHERE id = 1")
            .executeQuery()) {
      rows.next();
      return new Row(rows.getLong(1), rows.getLong(2), rows.getLong(3));
    }
  }

  /** Whether the row's lease is free: no holder, or one whose heartbeat is too old. */
  boolean isFree(Row row, long nowMillis) {
    return row.session() == 0 || nowMillis - row.heartbeat() > timeoutMillis;
  }

  /**
   * Takes the lease in the open transaction; returns the id from which this process's log rows will
   * be in its head, for {@link #took}.
   */
  long take(StatementCache statements, long nowMillis) throws SQLException {
    PreparedStatement update =
        statements.prepare("UPDATE writer SET session = ?, heartbeat = ? WHERE id = 1");
    update.setLong(1, session);
    update.setLong(2, nowMillis);
    update.executeUpdate();
    try (ResultSet rows =
        statements.prepare("SELECT coalesce(max(id), 0) + 1 FROM wal").executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The transaction that took the lease committed. */
  void took(long headFrom, long nowMillis) {
    this.owner = true;
    this.headFrom = headFrom;
    this.lastHeartbeat = nowMillis;
  }

  /** A flush found another session in the writer row. */
  void lost() {
    owner = false;
    headFrom = 0;
  }

  boolean heartbeatDue(long nowMillis) {
    return nowMillis - lastHeartbeat >= heartbeatMillis;
  }

  void heartbeat(StatementCache statements, long nowMillis) throws SQLException {
    PreparedStatement update =
        statements.prepare("UPDATE writer SET heartbeat = ? WHERE id = 1 AND session = ?");
    update.setLong(1, nowMillis);
    update.setLong(2, session);
    update.executeUpdate();
  }

  void heartbeatCommitted(long nowMillis) {
    lastHeartbeat = nowMillis;
  }

  /** Gives the lease up at shutdown, so the next writer need not wait for it to time out. */
  void release(StatementCache statements) throws SQLException {
    PreparedStatement update =
        statements.prepare("UPDATE writer SET session = 0 WHERE id = 1 AND session = ?");
    update.setLong(1, session);
    update.executeUpdate();
  }

  void released() {
    owner = false;
  }
}
