package dev.sextant.storage.sqlite;

import dev.sextant.storage.CheckResult;
import dev.sextant.storage.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One database file: its writer thread and its reader pool. Every JDBC call on the file runs on one
 * of those threads, never on the caller's.
 */
final class SqliteDatabase {
  private final Signal signal;
  private final Path file;
  private final SqliteWriter writer;
  private final SqliteReaders readers;

  private SqliteDatabase(Signal signal, Path file, SqliteWriter writer, SqliteReaders readers) {
    this.signal = signal;
    this.file = file;
    this.writer = writer;
    this.readers = readers;
  }

  /** Opens the file, migrates its schema and starts its threads. */
  static SqliteDatabase open(Signal signal, SqliteOptions options) {
    Path file = options.dataDir().resolve(signal.fileName());
    Connections connections = new Connections(file, options);
    String name = "sextant-sqlite-" + signal.label();
    StatementCache statements = openAndMigrate(connections, signal, options);
    SqliteWriter writer =
        new SqliteWriter(
            name + "-writer",
            statements,
            new Checkpointer(name + "-checkpointer", connections),
            options.writeQueueCapacity(),
            options.maxRowsPerCommit());
    SqliteReaders readers =
        new SqliteReaders(
            name + "-reader", connections, options.readerThreads(), options.readQueueCapacity());
    writer.start();
    return new SqliteDatabase(signal, file, writer, readers);
  }

  /**
   * Opens the writing connection and migrates, retrying while another process holds the file:
   * SQLite answers BUSY at once, without waiting the busy timeout, when waiting could deadlock (two
   * processes switching a new file to WAL at the same moment do).
   */
  private static StatementCache openAndMigrate(
      Connections connections, Signal signal, SqliteOptions options) {
    long deadline = System.nanoTime() + options.busyTimeout().toNanos();
    while (true) {
      Connection connection = null;
      try {
        connection = connections.openWriter();
        Migrations.migrate(connection, signal, connections.file());
        return new StatementCache(connection);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        StorageException failure =
            SqliteErrors.toStorageException(e, "cannot open " + connections.file());
        if (failure.code() != StorageException.Code.OVERLOADED || System.nanoTime() > deadline) {
          throw failure;
        }
      }
      try {
        Thread.sleep(ThreadLocalRandom.current().nextLong(5, 50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException(
            StorageException.Code.UNAVAILABLE, "interrupted opening " + connections.file(), e);
      }
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Reporting the failure to open matters more.
      }
    }
  }

  <T> CompletableFuture<T> write(WriteTask<T> task) {
    return writer.submit(task);
  }

  /** Maintenance work of the store itself; see {@link SqliteWriter#submitInternal}. */
  <T> CompletableFuture<T> writeInternal(WriteTask<T> task) {
    return writer.submitInternal(task);
  }

  <T> CompletableFuture<T> read(ReadTask<T> task) {
    return readers.submit(task);
  }

  Signal signal() {
    return signal;
  }

  Path file() {
    return file;
  }

  SqliteWriter writer() {
    return writer;
  }

  /** A cheap query through the reader pool, and whether the writer thread is alive. */
  CheckResult check(long timeoutMillis) {
    try {
      if (!writer.isAlive()) {
        return new CheckResult(false, file + ": writer thread is not running");
      }
      read(statements -> {
            try (ResultSet rows =
                statements.prepare("SELECT count(*) FROM sqlite_schema").executeQuery()) {
              return rows.next();
            }
          })
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
      return CheckResult.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.failed(e);
    } catch (Exception e) {
      StorageException failure = SqliteErrors.toStorageException(e, file.toString());
      return CheckResult.failed(failure);
    }
  }

  /** Finishes queued writes and queries, then stops the threads and closes the connections. */
  void close() {
    writer.close();
    readers.close();
  }
}
