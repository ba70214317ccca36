package dev.sextant.storage.postgres;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what PostgreSQL and the Vert.x client report into coded {@link StorageException}s, so
 * ingest answers retryable conditions (the server down, restarting, out of connections, a statement
 * timeout, a lock wait, a serialization conflict) with 503/429 and keeps everything else final.
 */
final class PgErrors {
  private PgErrors() {}

  static StorageException toStorageException(Throwable failure, String context) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StorageException storage) {
      return storage;
    }
    if (cause instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      return new StorageException(
          codeOf(state), context + ": " + pg.getErrorMessage() + " (SQLSTATE " + state + ")", pg);
    }
    if (cause instanceof ClosedConnectionException
        || cause instanceof IOException
        || cause instanceof TimeoutException
        || cause instanceof javax.net.ssl.SSLException
        || cause instanceof io.netty.channel.ConnectTimeoutException) {
      return new StorageException(
          Code.UNAVAILABLE, context + ": the database cannot be reached: " + cause, cause);
    }
    if (cause instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
      return new StorageException(
          Code.OVERLOADED, context + ": every database connection is busy: " + cause, cause);
    }
    if (cause instanceof io.vertx.core.impl.NoStackTraceThrowable) {
      // The client reports both its own argument errors (bugs) and pool timeouts this way.
      String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
      return message.contains("timeout") || message.contains("closed")
          ? new StorageException(
              Code.UNAVAILABLE, context + ": the database cannot be reached: " + cause, cause)
          : new StorageException(Code.INTERNAL, context + ": " + cause, cause);
    }
    if (cause instanceof VertxException) {
      // Refused, reset and closed connections.
      return new StorageException(
          Code.UNAVAILABLE, context + ": the database cannot be reached: " + cause, cause);
    }
    return new StorageException(Code.INTERNAL, context + ": " + cause, cause);
  }

  /**
   * The code for a SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html): by
   * class, with the exceptions that matter inside a class.
   */
  static Code codeOf(String sqlState) {
    if (sqlState.length() != 5) {
      return Code.INTERNAL;
    }
    return switch (sqlState.substring(0, 2)) {
      // connection exceptions; operator intervention (shutdown, restart, query canceled by a
      // statement timeout); insufficient resources (too many connections, disk full, memory)
      case "08", "57" -> sqlState.equals("57014") ? Code.OVERLOADED : Code.UNAVAILABLE;
      case "53" -> sqlState.equals("53300") ? Code.OVERLOADED : Code.UNAVAILABLE;
      // serialization failure, deadlock; lock not available (lock_timeout)
      case "40" -> Code.OVERLOADED;
      case "55" -> sqlState.equals("55P03") ? Code.OVERLOADED : Code.INTERNAL;
      // the server is read-only (a replica after failover): retry finds the new primary
      case "25" -> sqlState.equals("25006") ? Code.UNAVAILABLE : Code.INTERNAL;
      // data exceptions: the values themselves are wrong
      case "22" -> Code.INVALID_ARGUMENT;
      default -> Code.INTERNAL;
    };
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  static StorageException closed() {
    return new StorageException(Code.UNAVAILABLE, "postgres storage is closed");
  }

  static StorageException notStarted() {
    return new StorageException(Code.UNAVAILABLE, "postgres storage is not started");
  }
}
