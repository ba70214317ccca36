package dev.sextant.storage.sqlite;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that writes a database file (SQLite has one writer). It takes every pending task
 * up to a row cap and commits them in one transaction (group commit): the fsync of a commit is
 * shared by all of them, which is what makes {@link Synchronous#FULL} affordable. A task's future
 * completes only after {@code COMMIT} returned. A task that fails is rolled back to its savepoint
 * alone; the others in its transaction still commit.
 *
 * <p>The queue is bounded: when it is full, {@link #submit} fails at once with {@code OVERLOADED}
 * instead of letting memory grow (DESIGN §2.3).
 */
final class SqliteWriter {
  private static final Logger LOG = Logger.getLogger(SqliteWriter.class.getName());

  private final String name;
  private final StatementCache statements;
  private final Checkpointer checkpointer;
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final Semaphore capacity;
  private final int maxRowsPerCommit;
  private final Thread thread;
  private final AtomicLong commits = new AtomicLong();
  private volatile boolean closing;

  private static final Pending<Void> STOP = new Pending<>(null, false);

  /** A submitted task and the future its submitter waits on. */
  private static final class Pending<T> {
    final WriteTask<T> task;
    final boolean counted;
    final CompletableFuture<T> future = new CompletableFuture<>();
    T result;
    Throwable failure;
    boolean applied;

    Pending(WriteTask<T> task, boolean counted) {
      this.task = task;
      this.counted = counted;
    }

    void apply(StatementCache statements) throws SQLException {
      result = task.apply(statements);
      applied = true;
    }

    /** Runs the task's commit or abandon hook; a hook that throws fails the task. */
    void finish(boolean committed) {
      try {
        if (committed && failure == null) {
          task.committed(result);
        } else if (applied || failure != null) {
          task.abandoned();
        }
      } catch (RuntimeException e) {
        LOG.log(
            Level.SEVERE,
            "a write task's " + (committed ? "commit" : "abandon") + " hook failed",
            e);
        failure =
            failure == null ? SqliteErrors.toStorageException(e, "write hook failed") : failure;
      }
    }

    void complete() {
      if (failure == null) {
        future.complete(result);
      } else {
        future.completeExceptionally(failure);
      }
    }
  }

  SqliteWriter(
      String name,
      StatementCache statements,
      Checkpointer checkpointer,
      int queueCapacity,
      int maxRowsPerCommit) {
    this.name = name;
    this.checkpointer = checkpointer;
    this.statements = statements;
    this.capacity = new Semaphore(queueCapacity);
    this.maxRowsPerCommit = maxRowsPerCommit;
    this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
  }

  void start() {
    checkpointer.start();
    thread.start();
  }

  /** Queues a task; the future completes after the transaction holding it committed. */
  <T> CompletableFuture<T> submit(WriteTask<T> task) {
    if (closing) {
      return CompletableFuture.failedFuture(SqliteErrors.closed(name));
    }
    if (!capacity.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new StorageException(
              Code.OVERLOADED,
              name + " has " + queue.size() + " writes queued, its limit; retry later"));
    }
    return enqueue(new Pending<>(task, true));
  }

  /**
   * Queues the store's own maintenance work (flushes, compaction and retention steps), which never
   * counts against the capacity callers see: each kind keeps at most one step queued, so it stays
   * bounded, and it must not be refused while callers fill the queue.
   */
  <T> CompletableFuture<T> submitInternal(WriteTask<T> task) {
    if (closing) {
      return CompletableFuture.failedFuture(SqliteErrors.closed(name));
    }
    return enqueue(new Pending<>(task, false));
  }

  private <T> CompletableFuture<T> enqueue(Pending<T> pending) {
    queue.add(pending);
    if (closing && queue.remove(pending)) {
      // Raced with close(): queued after its last drain, nobody would ever run it.
      release(pending);
      return CompletableFuture.failedFuture(SqliteErrors.closed(name));
    }
    return pending.future;
  }

  private void release(Pending<?> pending) {
    if (pending.counted) {
      capacity.release();
    }
  }

  /** Whether the calling thread is this writer's: its tasks may run work inline. */
  boolean isWriterThread() {
    return Thread.currentThread() == thread;
  }

  /** How many transactions this writer committed: lets tests see group commit at work. */
  long commits() {
    return commits.get();
  }

  int queued() {
    return queue.size();
  }

  boolean isAlive() {
    return thread.isAlive() && !closing;
  }

  /** Commits what was queued before, then stops the thread and closes the connection. */
  void close() {
    if (closing) {
      return;
    }
    closing = true;
    try {
      queue.put(STOP);
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Tasks that raced with closing found the thread gone.
    failAll(drain(), SqliteErrors.closed(name));
    checkpointer.close();
    try {
      statements.close();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, name + ": closing the connection failed", e);
    }
  }

  private List<Pending<?>> drain() {
    List<Pending<?>> rest = new ArrayList<>();
    queue.drainTo(rest);
    rest.remove(STOP);
    rest.forEach(this::release);
    return rest;
  }

  private void run() {
    List<Pending<?>> batch = new ArrayList<>();
    while (true) {
      Pending<?> first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (first == STOP) {
        return;
      }
      release(first);
      batch.clear();
      batch.add(first);
      int rows = first.task.rows();
      while (rows < maxRowsPerCommit) {
        Pending<?> next = queue.peek();
        if (next == null || next == STOP) {
          break;
        }
        queue.poll();
        release(next);
        batch.add(next);
        rows += next.task.rows();
      }
      try {
        commit(batch);
      } catch (Throwable unexpected) {
        // Keep the writer alive and nobody waiting forever, whatever went wrong.
        LOG.log(Level.SEVERE, name + ": unexpected failure", unexpected);
        failAll(batch, SqliteErrors.toStorageException(unexpected, name));
      }
    }
  }

  private void commit(List<Pending<?>> batch) {
    try {
      statements.execute("BEGIN IMMEDIATE");
    } catch (SQLException | RuntimeException e) {
      failAll(batch, SqliteErrors.toStorageException(e, name + ": cannot begin a transaction"));
      return;
    }
    boolean committed = false;
    try {
      for (Pending<?> pending : batch) {
        applyIsolated(pending);
      }
      statements.execute("COMMIT");
      committed = true;
      commits.incrementAndGet();
      checkpointer.committed();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      StorageException failure =
          e instanceof TransactionLost lost
              ? lost.failure
              : SqliteErrors.toStorageException(e, name + ": commit failed");
      for (Pending<?> pending : batch) {
        pending.failure = pending.failure == null ? failure : pending.failure;
      }
    }
    for (Pending<?> pending : batch) {
      pending.finish(committed);
    }
    for (Pending<?> pending : batch) {
      pending.complete();
    }
  }

  /**
   * Runs one task inside a savepoint, so its failure undoes only its own rows. When SQLite has
   * rolled back the whole transaction by itself (it may on a full disk or an I/O error), throws
   * {@link TransactionLost} with the task's failure, which then is every task's failure.
   */
  private void applyIsolated(Pending<?> pending) throws SQLException {
    statements.execute("SAVEPOINT task");
    try {
      pending.apply(statements);
    } catch (SQLException | RuntimeException e) {
      StorageException failure = SqliteErrors.toStorageException(e, name + ": write failed");
      pending.failure = failure;
      try {
        statements.execute("ROLLBACK TO task");
      } catch (SQLException lost) {
        throw new TransactionLost(failure);
      }
    }
    statements.execute("RELEASE task");
  }

  /** The transaction is gone; {@link #failure} is why. */
  private static final class TransactionLost extends RuntimeException {
    final StorageException failure;

    TransactionLost(StorageException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }

  private void rollbackQuietly() {
    try {
      statements.execute("ROLLBACK");
    } catch (SQLException e) {
      // Already rolled back by SQLite; nothing is left to undo.
    }
  }

  private void failAll(List<Pending<?>> batch, StorageException failure) {
    for (Pending<?> pending : batch) {
      pending.failure = failure;
      pending.finish(false);
      pending.complete();
    }
  }
}
