package dev.sextant.tracespec;

/**
 * One reason a trace does not match: {@code path} is where in the expected tree, as matcher labels
 * joined by {@code " > "}.
 */
public record Problem(Kind kind, String path, String message) {

  /** What went wrong. */
  public enum Kind {
    /** A matcher got fewer spans than its count requires. */
    MISSING,
    /** A span no matcher claims, where extra spans are not allowed. */
    EXTRA,
    /** The spans are there but not in the order an {@code ordered} parent requires. */
    ORDER,
    /** A metric expectation no (or too many) series satisfy. */
    METRIC,
    /** A log expectation no (or too many) records satisfy. */
    LOG
  }

  @Override
  public String toString() {
    return kind + " at " + (path.isEmpty() ? "top level" : path) + ": " + message;
  }
}
