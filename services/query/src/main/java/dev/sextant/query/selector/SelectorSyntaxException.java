package dev.sextant.query.selector;

/** A selector that does not parse; the message names the 1-based character position. */
public final class SelectorSyntaxException extends IllegalArgumentException {
  private final int position;

  SelectorSyntaxException(int position, String message) {
    super("parse error at char " + position + ": " + message);
    this.position = position;
  }

  /** The 1-based character the error is at. */
  public int position() {
    return position;
  }
}
