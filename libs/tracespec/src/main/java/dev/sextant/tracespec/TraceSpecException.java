package dev.sextant.tracespec;

/**
 * A spec that cannot be used: malformed or invalid ({@link Reason#INVALID_SPEC}, the message names
 * the place in the spec, such as {@code spans[0].children[1].count}), or one whose check would take
 * more work than the budget allows ({@link Reason#TOO_EXPENSIVE}). Both are the caller's to fix.
 */
public final class TraceSpecException extends RuntimeException {

  /** Why the spec was refused. */
  public enum Reason {
    /** Not parseable, an unknown key, a wrong type, an invalid pattern or range. */
    INVALID_SPEC,
    /** Matching needed more assignment steps or pattern work than {@link MatchBudget} allows. */
    TOO_EXPENSIVE
  }

  private final Reason reason;

  public TraceSpecException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  static TraceSpecException invalid(String path, String message) {
    return new TraceSpecException(
        Reason.INVALID_SPEC, (path.isEmpty() ? "" : path + ": ") + message);
  }

  public Reason reason() {
    return reason;
  }
}
