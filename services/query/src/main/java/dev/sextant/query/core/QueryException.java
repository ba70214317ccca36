package dev.sextant.query.core;

/**
 * A read refused for a reason the shared {@link dev.sextant.service.errors.Failures} has no kind
 * for: the thing asked for does not exist, or the caller may not read at all.
 */
public final class QueryException extends RuntimeException {

  /** Why the read was refused. */
  public enum Reason {
    /** 404 / NOT_FOUND. */
    NOT_FOUND,
    /** 403 / PERMISSION_DENIED. */
    PERMISSION_DENIED
  }

  private final Reason reason;

  public QueryException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public static QueryException notFound(String message) {
    return new QueryException(Reason.NOT_FOUND, message);
  }

  public static QueryException permissionDenied(String message) {
    return new QueryException(Reason.PERMISSION_DENIED, message);
  }

  public Reason reason() {
    return reason;
  }
}
