package dev.sextant.storage.sqlite;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A store's way to its database file while the storage is started, and a clear {@code UNAVAILABLE}
 * before and after. Every operation is a lazy {@link Uni}: nothing is queued until it is subscribed
 * to, and the Uni completes on the database thread that ran it.
 */
final class DatabaseAccess {
  private final Signal signal;
  private volatile SqliteDatabase database;
  private volatile boolean closed;

  DatabaseAccess(Signal signal) {
    this.signal = signal;
  }

  void open(SqliteDatabase database) {
    this.database = database;
  }

  /** Detaches the database, which the caller then closes. */
  SqliteDatabase close() {
    closed = true;
    SqliteDatabase current = database;
    database = null;
    return current;
  }

  SqliteDatabase require() {
    SqliteDatabase current = database;
    if (current == null) {
      throw closed
          ? SqliteErrors.closed("sqlite " + signal.label() + " store")
          : new StorageException(
              Code.UNAVAILABLE, "sqlite " + signal.label() + " store is not started");
    }
    return current;
  }

  /**
   * A write; {@code task} is built on subscription on the subscriber's thread (encoding rows there
   * spreads CPU work over callers and keeps the writer thread on SQLite work).
   */
  <T> Uni<T> write(Supplier<WriteTask<T>> task) {
    return Uni.createFrom().completionStage(() -> require().write(task.get()));
  }

  <T> Uni<T> read(ReadTask<T> task) {
    return Uni.createFrom().completionStage(() -> require().read(task));
  }

  /** Several steps against the database, chained by the caller. */
  <T> Uni<T> run(Function<SqliteDatabase, CompletableFuture<T>> steps) {
    return Uni.createFrom().completionStage(() -> steps.apply(require()));
  }
}
