package dev.sextant.storage.postgres;

import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The backend's connection to PostgreSQL: its own small Vert.x instance (event loops only, no file
 * cache) and one bounded pool of pipelined connections with cached prepared statements. Every SPI
 * call goes through {@link #call} or {@link #transaction}: lazy, failing with {@code UNAVAILABLE}
 * before {@link #open} and after {@link #close}, with failures mapped by {@link PgErrors}. Results
 * complete on the pool's event loops; callers must not block in their callbacks.
 */
final class PgClient {
  private static final System.Logger LOG = System.getLogger(PgClient.class.getName());

  private enum State {
    NEW,
    OPEN,
    CLOSED
  }

  private final PostgresOptions options;
  private volatile State state = State.NEW;
  private Vertx vertx;
  private Pool pool;

  PgClient(PostgresOptions options) {
    this.options = options;
  }

  /** Creates the event loops and the pool; connections open on first use. */
  synchronized void open() {
    switch (state) {
      case OPEN -> {
        return;
      }
      case CLOSED -> throw PgErrors.closed();
      case NEW -> {}
    }
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(options.eventLoops())
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    vertx.exceptionHandler(PgClient::unhandled);
    PgConnectOptions connect = options.connectOptions();
    pool =
        PgBuilder.pool()
            .with(
                new PoolOptions()
                    .setMaxSize(options.poolSize())
                    .setMaxWaitQueueSize(options.poolWaitQueue())
                    .setConnectionTimeout((int) options.connectTimeout().toMillis())
                    .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                    .setIdleTimeout(60)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS)
                    .setName("sextant-" + System.identityHashCode(this)))
            .connectingTo(connect)
            .using(vertx)
            .build();
    state = State.OPEN;
  }

  /**
   * What the event loops throw that no caller receives. While the server is down, the pool's
   * connect timer also fails a wait that the failed connect already failed (Vert.x 4.5): that one
   * is noise, hundreds a second during an outage, and the callers got their UNAVAILABLE anyway.
   */
  private static void unhandled(Throwable failure) {
    boolean doubleCompletion =
        failure instanceof IllegalStateException
            && "Result is already complete".equals(failure.getMessage());
    if (doubleCompletion) {
      LOG.log(System.Logger.Level.DEBUG, "postgres pool: a wait completed twice", failure);
    } else {
      LOG.log(System.Logger.Level.WARNING, "postgres client: unhandled failure", failure);
    }
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  Vertx vertx() {
    return vertx;
  }

  /** Runs {@code call} against the pool when subscribed; failures become coded exceptions. */
  <T> Uni<T> call(String context, Function<Pool, Future<T>> call) {
    return deferred(context, () -> call.apply(requirePool()));
  }

  /** One prepared statement with these parameters. */
  Uni<RowSet<Row>> query(String context, String sql, Tuple parameters) {
    return call(context, p -> p.preparedQuery(sql).execute(parameters));
  }

  /** Runs {@code work} in one transaction (committed when its future succeeds). */
  <T> Uni<T> transaction(String context, Function<SqlConnection, Future<T>> work) {
    return call(context, p -> p.withTransaction(work));
  }

  private <T> Uni<T> deferred(String context, Supplier<Future<T>> future) {
    return Uni.createFrom()
        .<T>emitter(
            emitter -> {
              Future<T> started;
              try {
                started = future.get();
              } catch (RuntimeException e) {
                emitter.fail(PgErrors.toStorageException(e, context));
                return;
              }
              started.onComplete(
                  result -> {
                    if (result.succeeded()) {
                      emitter.complete(result.result());
                    } else {
                      emitter.fail(PgErrors.toStorageException(result.cause(), context));
                    }
                  });
            });
  }

  /** The pool, for composing several statements inside one {@link #call}. */
  Pool vertxPool() {
    return requirePool();
  }

  private Pool requirePool() {
    return switch (state) {
      case OPEN -> pool;
      case NEW -> throw PgErrors.notStarted();
      case CLOSED -> throw PgErrors.closed();
    };
  }

  /** Waits for a Vert.x future on a thread that may block (startup, shutdown, maintenance). */
  static <T> T await(Future<T> future, long timeoutMillis, String context) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(StorageException.Code.UNAVAILABLE, context + ": interrupted", e);
    } catch (Exception e) {
      throw PgErrors.toStorageException(e, context);
    }
  }

  /** Closes the pool and the event loops, waiting a few seconds at most. Idempotent. */
  synchronized void close() {
    if (state == State.OPEN) {
      try {
        pool.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Closing anyway: the event loops go next.
      }
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Threads that do not stop in time are daemons; nothing is left to commit.
      }
    }
    state = State.CLOSED;
  }
}
