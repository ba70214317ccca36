package dev.sextant.storage.sqlite;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies a file's WAL back into the database on its own thread and connection ({@code
 * wal_checkpoint(PASSIVE)}, which never blocks writers or readers), so the writer thread only
 * appends to the WAL. Left to SQLite's auto-checkpoint, every thousandth page the committing writer
 * would stop to copy and sync the file. The writer keeps a far larger auto-checkpoint as a backstop
 * in case this thread falls behind. Starts work after this process's first commit, so processes
 * that only read a file do not checkpoint it.
 */
final class Checkpointer {
  private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());

  private final String name;
  private final Connections connections;
  private static final long PAUSE_MILLIS = 200;

  private final Semaphore commits = new Semaphore(0);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean closing;

  Checkpointer(String name, Connections connections) {
    this.name = name;
    this.connections = connections;
    this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** Called by the writer after each commit. */
  void committed() {
    if (commits.availablePermits() == 0) {
      commits.release();
    }
  }

  void close() {
    closing = true;
    closed.countDown();
    commits.release();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    StatementCache statements = null;
    try {
      while (true) {
        commits.acquire();
        commits.drainPermits();
        if (closing) {
          return;
        }
        if (statements == null) {
          statements = new StatementCache(connections.openCheckpointer());
        }
        checkpoint(statements);
        if (closed.await(PAUSE_MILLIS, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, name + ": cannot open a connection; the writer checkpoints alone", e);
    } finally {
      closeQuietly(statements);
    }
  }

  private void checkpoint(StatementCache statements) {
    try {
      statements.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException e) {
      // Busy with another process's checkpoint, or a transient I/O error: the next commit retries.
      LOG.log(Level.FINE, name + ": checkpoint failed", e);
    }
  }

  private void closeQuietly(StatementCache statements) {
    if (statements != null) {
      try {
        statements.close();
      } catch (SQLException e) {
        LOG.log(Level.FINE, name + ": closing failed", e);
      }
    }
  }
}
