package dev.sextant.storage.sqlite;

import dev.sextant.storage.CallerReads;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small fixed pool of reader threads for one database file, each with its own connection (opened
 * on the thread's first query). WAL mode lets them read while the writer writes. The task queue is
 * bounded: when it is full, reads fail at once with {@code OVERLOADED}.
 *
 * <p>A thread marked by {@link CallerReads} (it waits for the read anyway) runs the read itself, on
 * one of as many caller connections as there are reader threads, kept for the next such read; when
 * all are in use the read goes to the pool. That saves the two thread wake-ups of handing a short
 * read over, which on a busy machine cost more than the read.
 */
final class SqliteReaders {
  private static final Logger LOG = Logger.getLogger(SqliteReaders.class.getName());

  private final String name;
  private final Connections connections;
  private final ThreadPoolExecutor executor;
  private final ThreadLocal<StatementCache> connection = new ThreadLocal<>();
  private final List<StatementCache> opened = new ArrayList<>();
  private final Semaphore callerSlots;
  private final int callerConnections;
  private final ConcurrentLinkedQueue<StatementCache> idleForCallers =
      new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  SqliteReaders(String name, Connections connections, int threads, int queueCapacity) {
    this.name = name;
    this.connections = connections;
    this.callerConnections = threads;
    this.callerSlots = new Semaphore(threads);
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
    if (CallerReads.allowed() && callerSlots.tryAcquire()) {
      try {
        return closed ? CompletableFuture.failedFuture(SqliteErrors.closed(name)) : runHere(task);
      } finally {
        callerSlots.release();
      }
    }
    if (CallerReads.mustNotWait()) {
      // Every caller connection is busy, and this thread may not wait for a reader thread.
      return CompletableFuture.failedFuture(CallerReads.Abandoned.get());
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

  /** Runs the task on this thread, on an idle caller connection or a new one. */
  private <T> CompletableFuture<T> runHere(ReadTask<T> task) {
    StatementCache statements = idleForCallers.poll();
    try {
      if (statements == null) {
        statements = open();
      }
      return CompletableFuture.completedFuture(task.apply(statements));
    } catch (CallerReads.Abandoned e) {
      return CompletableFuture.failedFuture(e); // not a failure of the read: passed on as it is
    } catch (Throwable e) {
      return CompletableFuture.failedFuture(
          SqliteErrors.toStorageException(e, name + ": query failed"));
    } finally {
      if (statements != null) {
        idleForCallers.add(statements);
      }
    }
  }

  private StatementCache open() throws SQLException {
    StatementCache statements = new StatementCache(connections.openReader());
    synchronized (opened) {
      opened.add(statements);
    }
    return statements;
  }

  private StatementCache statements() throws SQLException {
    StatementCache statements = connection.get();
    if (statements == null) {
      statements = open();
      connection.set(statements);
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
      // Reads running on their callers' threads finish before their connections close.
      if (!callerSlots.tryAcquire(callerConnections, 30, TimeUnit.SECONDS)) {
        LOG.warning(name + ": reads on callers' threads still running after 30 s; closing anyway");
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
