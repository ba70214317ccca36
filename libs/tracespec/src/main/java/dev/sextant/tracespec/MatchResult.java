package dev.sextant.tracespec;

import java.util.List;

/**
 * The outcome of checking a trace against a spec: whether it matched, a one-line summary, the
 * problems, and {@link #report()}: the expected and actual trees side by side.
 */
public record MatchResult(
    boolean matched, String summary, List<Problem> problems, String report, int spanCount) {
  public MatchResult {
    problems = List.copyOf(problems);
  }

  /** Throws {@link AssertionError} with the report when the trace did not match. */
  public void assertMatched() {
    if (!matched) {
      throw new AssertionError(report);
    }
  }
}
