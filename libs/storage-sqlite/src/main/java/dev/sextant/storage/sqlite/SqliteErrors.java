package dev.sextant.storage.sqlite;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what SQLite and the JDBC driver throw into coded {@link StorageException}s. */
final class SqliteErrors {
  // Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low
  // byte.
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;

  private SqliteErrors() {}

  /**
   * The coded exception for a failure: busy or locked files are overload (retry later), a full disk
   * or an I/O error makes the store unavailable, everything else is internal.
   */
  static StorageException toStorageException(Throwable failure, String context) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StorageException storageException) {
      return storageException;
    }
    if (cause instanceof SQLException sql) {
      return new StorageException(
          codeOf(sql.getErrorCode()), context + ": " + sql.getMessage(), sql);
    }
    return new StorageException(Code.INTERNAL, context + ": " + cause, cause);
  }

  static Code codeOf(int sqliteResultCode) {
    return switch (sqliteResultCode & 0xff) {
      case SQLITE_BUSY, SQLITE_LOCKED -> Code.OVERLOADED;
      case SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN -> Code.UNAVAILABLE;
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

  static StorageException closed(String what) {
    return new StorageException(Code.UNAVAILABLE, what + " is closed");
  }
}
