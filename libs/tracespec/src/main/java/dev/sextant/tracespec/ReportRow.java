package dev.sextant.tracespec;

/** One line of the side-by-side report: what was expected and what the trace has there. */
record ReportRow(Mark mark, int depth, String expected, String actual, String note) {

  enum Mark {
    /** The span fits its matcher, subtree included. */
    OK("✓"),
    /** The span fits its matcher itself; something below it does not. */
    BELOW("~"),
    /** A matcher without (enough) spans. */
    MISSING("✗"),
    /** A span nobody expected. */
    EXTRA("+"),
    /** A span nobody expected, where extra spans are allowed. */
    IGNORED("·"),
    /** Children out of the required order. */
    ORDER("!");

    final String symbol;

    Mark(String symbol) {
      this.symbol = symbol;
    }
  }
}
