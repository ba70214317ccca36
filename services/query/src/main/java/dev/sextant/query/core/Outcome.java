package dev.sextant.query.core;

import dev.sextant.promql.engine.PromQLException;
import dev.sextant.service.errors.Failures;
import java.util.Locale;

/**
 * How a read ended; the one classification both adapters turn into an answer (HTTP status, gRPC
 * code) and the request metrics count by.
 */
public enum Outcome {
  OK,
  BAD_INPUT,
  /** PromQL evaluation refused on the data (many-to-many matching, too many samples): 422. */
  EXECUTION,
  /** A PromQL query ran past its timeout. */
  TIMEOUT,
  /** A PromQL query was cancelled (its client went away). */
  CANCELED,
  NOT_FOUND,
  PERMISSION_DENIED,
  OVERLOADED,
  UNAVAILABLE,
  INTERNAL;

  public static Outcome of(Throwable failure) {
    if (failure instanceof PromQLException e) {
      return switch (e.type()) {
        case BAD_DATA -> BAD_INPUT;
        case EXECUTION, TOO_MANY_SAMPLES -> EXECUTION;
        case TIMEOUT -> TIMEOUT;
        case CANCELED -> CANCELED;
      };
    }
    if (failure instanceof QueryException e) {
      return switch (e.reason()) {
        case NOT_FOUND -> NOT_FOUND;
        case PERMISSION_DENIED -> PERMISSION_DENIED;
      };
    }
    return switch (Failures.kindOf(failure)) {
      case BAD_INPUT -> BAD_INPUT;
      case OVERLOADED -> OVERLOADED;
      case UNAVAILABLE -> UNAVAILABLE;
      case INTERNAL -> INTERNAL;
    };
  }

  /** Whether the same request may succeed later (answered with Retry-After / RetryInfo). */
  public boolean retryable() {
    return switch (this) {
      case OVERLOADED, UNAVAILABLE -> true;
      case OK, BAD_INPUT, EXECUTION, TIMEOUT, CANCELED, NOT_FOUND, PERMISSION_DENIED, INTERNAL ->
          false;
    };
  }

  /** The metric tag value. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The message a client sees. Internal failures are not described: their messages may carry store
   * internals (SQL, paths), and they are logged instead.
   */
  public String clientMessage(Throwable failure) {
    return this == INTERNAL ? "internal error" : Failures.messageOf(failure);
  }
}
