package dev.sextant.tracespec;

/**
 * Bounds the work of one check: assignment steps of the backtracking matcher and characters read by
 * patterns (a hostile regular expression cannot run away: every character it reads is counted). Not
 * thread-safe; one per check.
 */
public final class MatchBudget {
  /** Default assignment steps per check. */
  public static final long DEFAULT_STEPS = 200_000;

  /** Default characters patterns may read per check. */
  public static final long DEFAULT_PATTERN_CHARS = 20_000_000;

  /**
   * Default comparisons of a metric or log expectation with one series or record per check: the
   * expectations are few, but a trace may have thousands of logs.
   */
  public static final long DEFAULT_COMPARISONS = 2_000_000;

  private final long maxSteps;
  private final long maxPatternChars;
  private long steps;
  private long patternChars;
  private long comparisons;

  public MatchBudget(long maxSteps, long maxPatternChars) {
    this.maxSteps = maxSteps;
    this.maxPatternChars = maxPatternChars;
  }

  public static MatchBudget defaults() {
    return new MatchBudget(DEFAULT_STEPS, DEFAULT_PATTERN_CHARS);
  }

  void step() {
    if (++steps > maxSteps) {
      throw new TraceSpecException(
          TraceSpecException.Reason.TOO_EXPENSIVE,
          "matching gave up after "
              + maxSteps
              + " assignment steps: the spec is too ambiguous for this trace (give sibling"
              + " matchers distinct names or attributes, or narrow count ranges)");
    }
  }

  void readChar() {
    if (++patternChars > maxPatternChars) {
      throw new TraceSpecException(
          TraceSpecException.Reason.TOO_EXPENSIVE,
          "matching gave up after its patterns read "
              + maxPatternChars
              + " characters: a regular expression backtracks too much");
    }
  }

  void compare() {
    if (++comparisons > DEFAULT_COMPARISONS) {
      throw new TraceSpecException(
          TraceSpecException.Reason.TOO_EXPENSIVE,
          "matching gave up after "
              + DEFAULT_COMPARISONS
              + " comparisons of metric and log expectations with the trace's series and logs"
              + " (fewer expectations, or a trace with fewer logs)");
    }
  }

  long stepsUsed() {
    return steps;
  }
}
