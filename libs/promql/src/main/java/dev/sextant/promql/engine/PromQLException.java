package dev.sextant.promql.engine;

/**
 * A query that failed: the message is Prometheus's, the type tells the HTTP layer which {@code
 * errorType} (and status) to answer with.
 */
public final class PromQLException extends RuntimeException {
  /** Prometheus's API error types that the engine can produce. */
  public enum Type {
    /** The query does not parse or type-check (HTTP 400, "bad_data"). */
    BAD_DATA,
    /** Evaluation failed on the data, e.g. many-to-many matching (HTTP 422, "execution"). */
    EXECUTION,
    /** The query ran past its timeout (HTTP 503, "timeout"). */
    TIMEOUT,
    /** The caller cancelled the query (HTTP 503, "canceled"). */
    CANCELED,
    /** The query would load more samples than allowed (HTTP 422, "execution"). */
    TOO_MANY_SAMPLES
  }

  private final Type type;

  public PromQLException(Type type, String message) {
    super(message);
    this.type = type;
  }

  public PromQLException(Type type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  public Type type() {
    return type;
  }

  static PromQLException execution(String message) {
    return new PromQLException(Type.EXECUTION, message);
  }
}
