package dev.sextant.storage.sqlite;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small fixed pool of reader threads for one database file, each with its own connection (opened
 * on the thread's first query). WAL mode lets them read while the writer writes. The task queue is
 * bounded: when it is full, reads fail at once with {@code OVERLOADED}.
 */
final class SqliteReaders {
  private static final Logger LOG = Logger.getLogger(SqliteReaders.class.getName());

  private final String name;
  private final Connections connections;
  private final ThreadPoolExecutor executor;
  private final ThreadLocal<StatementCache> connection = new ThreadLocal<>();
  private final List<StatementCache> opened = new ArrayList<>();
  private volatile boolean closed;

  SqliteReaders(String name, Connections connections, int threads, int queueCapacity) {
    this.name = name;
    this.connections = connections;
    AtomicInteger count = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            task ->
                Thread.ofPlatform()
                    .name(name + "-" + count.incrementAndGet())
                    .daemon(true)
                    .unstarted(task));
  }

  <T> CompletableFuture<T> submit(ReadTask<T> task) {
    CompletableFuture<T> future = new CompletableFuture<>();
    if (closed) {
      return CompletableFuture.failedFuture(SqliteErrors.closed(name));
    }
    try {
      executor.execute(() -> run(task, future));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          closed
              ? SqliteErrors.closed(name)
              : new StorageException(
                  Code.OVERLOADED, name + ": too many queries queued; retry later"));
    }
    return future;
  }

  private <T> void run(ReadTask<T> task, CompletableFuture<T> future) {
    try {
      future.complete(task.apply(statements()));
    } catch (Throwable e) {
      future.completeExceptionally(SqliteErrors.toStorageException(e, name + ": query failed"));
    }
  }

  private StatementCache statements() throws SQLException {
    StatementCache statements = connection.get();
    if (statements == null) {
      statements = new StatementCache(connections.openReader());
      connection.set(statements);
      synchronized (opened) {
        opened.add(statements);
      }
    }
    return statements;
  }

  /** Lets queued queries finish, then closes every reader connection. */
  void close() {
    closed = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warning(name + ": queries still running after 30 s; closing anyway");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (opened) {
      for (StatementCache statements : opened) {
        try {
          statements.close();
        } catch (SQLException e) {
          LOG.log(Level.WARNING, name + ": closing a reader connection failed", e);
        }
      }
      opened.clear();
    }
  }
}
