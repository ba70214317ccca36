package dev.sextant.promql.parser;

/** One lexed token: its type, its source text (the decoded value for strings), its offset. */
record Token(TokenType type, String text, int pos, int end) {

  /** The token as Prometheus shows it after "unexpected ". */
  String describe() {
    return switch (type.kind) {
      case KEYWORD -> "<" + text + ">";
      case OPERATOR -> "<op:" + text + ">";
      case AGGREGATOR -> "<aggr:" + text + ">";
      case PUNCTUATION -> type.describe();
      case OTHER -> type == TokenType.EOF ? "end of input" : type.describe() + " " + quote(text);
    };
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * Whether the token's text is a valid label name (keywords may name labels, as in Prometheus).
   */
  boolean isLabelName() {
    if (type != TokenType.IDENTIFIER
        && type.kind != TokenType.Kind.KEYWORD
        && type.kind != TokenType.Kind.AGGREGATOR
        && type != TokenType.LAND
        && type != TokenType.LOR
        && type != TokenType.LUNLESS
        && type != TokenType.ATAN2) {
      return false;
    }
    return Lexer.isLabelName(text);
  }
}
