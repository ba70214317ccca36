package dev.sextant.storage;

/**
 * A storage failure with a code, so callers tell retryable conditions (overload, unavailability)
 * from bad input and from bugs, and answer clients accordingly (DESIGN §2.2).
 */
public final class StorageException extends RuntimeException {

  /** Why the operation failed. */
  public enum Code {
    /** The request itself is wrong; retrying it will fail again. */
    INVALID_ARGUMENT,
    /** The backend is busy; retry later. */
    OVERLOADED,
    /** The backend cannot be reached or is closed; retry later. */
    UNAVAILABLE,
    /** A bug or corruption. */
    INTERNAL
  }

  private final Code code;

  public StorageException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public StorageException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  /** Whether a client may retry the same request later with a chance of success. */
  public boolean retryable() {
    return switch (code) {
      case OVERLOADED, UNAVAILABLE -> true;
      case INVALID_ARGUMENT, INTERNAL -> false;
    };
  }
}
