package dev.sextant.storage.clickhouse;

import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.TransportException;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what the ClickHouse client throws into coded {@link StorageException}s: a server that
 * cannot be reached or went away mid-request is {@code UNAVAILABLE}, a server that refuses for load
 * (too many parts, memory limit, too many queries, timeouts) is {@code OVERLOADED}, both retryable;
 * everything else is {@code INTERNAL}.
 */
final class ClickHouseErrors {

  /** Server error codes that mean "busy, try later" (ClickHouse's ErrorCodes.cpp). */
  private static final Set<Integer> OVERLOAD_CODES =
      Set.of(
          159, // TIMEOUT_EXCEEDED
          202, // TOO_MANY_SIMULTANEOUS_QUERIES
          203, // NO_FREE_CONNECTION
          241, // MEMORY_LIMIT_EXCEEDED
          252, // TOO_MANY_PARTS
          439, // CANNOT_SCHEDULE_TASK
          290 // LIMIT_EXCEEDED
          );

  /** Server error codes that mean the server (or a shard behind it) cannot serve now. */
  private static final Set<Integer> UNAVAILABLE_CODES =
      Set.of(
          209, // SOCKET_TIMEOUT
          210, // NETWORK_ERROR
          279, // ALL_CONNECTION_TRIES_FAILED
          394, // QUERY_WAS_CANCELLED (server shutting down)
          242, // TABLE_IS_READ_ONLY (replica lost its keeper session)
          999 // KEEPER_EXCEPTION
          );

  private ClickHouseErrors() {}

  static StorageException toStorageException(Throwable failure, String context) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StorageException storageException) {
      return storageException;
    }
    if (cause instanceof RejectedExecutionException) {
      return new StorageException(
          Code.OVERLOADED, context + ": too many ClickHouse requests queued", cause);
    }
    if (cause instanceof ServerException server) {
      return new StorageException(
          codeOf(server.getCode()), context + ": " + server.getMessage(), server);
    }
    if (isConnectionFailure(cause)) {
      return new StorageException(
          Code.UNAVAILABLE, context + ": ClickHouse unreachable: " + rootMessage(cause), cause);
    }
    return new StorageException(Code.INTERNAL, context + ": " + cause, cause);
  }

  static Code codeOf(int serverCode) {
    if (OVERLOAD_CODES.contains(serverCode)) {
      return Code.OVERLOADED;
    }
    if (UNAVAILABLE_CODES.contains(serverCode)) {
      return Code.UNAVAILABLE;
    }
    return Code.INTERNAL;
  }

  private static boolean isConnectionFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectionInitiationException
          || t instanceof TransportException
          || t instanceof IOException
          || t instanceof TimeoutException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
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
    return new StorageException(Code.UNAVAILABLE, "ClickHouse storage is closed");
  }

  static StorageException notStarted() {
    return new StorageException(Code.UNAVAILABLE, "ClickHouse storage is not started");
  }
}
