package dev.sextant.promql.parser;

/**
 * A query that does not parse or does not type-check. The message is Prometheus's: {@code
 * "<line>:<column>: parse error: <reason>"}, with a 1-based line and column computed from the
 * 0-based character offset the reason is about.
 */
public final class ParseException extends IllegalArgumentException {
  private final int offset;
  private final String reason;
  private final String query;

  ParseException(int offset, String reason) {
    this(offset, reason, null);
  }

  private ParseException(int offset, String reason, String query) {
    super(reason);
    this.offset = offset;
    this.reason = reason;
    this.query = query;
  }

  /** The same error, now knowing the query text so the message can name line and column. */
  ParseException in(String query) {
    return this.query != null ? this : new ParseException(offset, reason, query);
  }

  /** The 0-based character offset in the query the error is about. */
  public int offset() {
    return offset;
  }

  /** The 1-based character position, as older Prometheus versions reported ("at char N"). */
  public int position() {
    return offset + 1;
  }

  /** The reason alone, without the position prefix. */
  public String reason() {
    return reason;
  }

  @Override
  public String getMessage() {
    if (query == null || offset < 0 || offset > query.length()) {
      return (query == null ? "" : "invalid position: ") + "parse error: " + reason;
    }
    int line = 1;
    int lastLineBreak = -1;
    for (int i = 0; i < offset; i++) {
      if (query.charAt(i) == '\n') {
        line++;
        lastLineBreak = i;
      }
    }
    return line + ":" + (offset - lastLineBreak) + ": parse error: " + reason;
  }
}
