package dev.sextant.promql.parser;

/** The binary operators, with Prometheus's precedence (higher binds tighter). */
public enum BinaryOp {
  OR("or", 1, TokenType.LOR),
  AND("and", 2, TokenType.LAND),
  UNLESS("unless", 2, TokenType.LUNLESS),
  EQL("==", 3, TokenType.EQLC),
  NEQ("!=", 3, TokenType.NEQ),
  LTE("<=", 3, TokenType.LTE),
  LSS("<", 3, TokenType.LSS),
  GTE(">=", 3, TokenType.GTE),
  GTR(">", 3, TokenType.GTR),
  ADD("+", 4, TokenType.ADD),
  SUB("-", 4, TokenType.SUB),
  MUL("*", 5, TokenType.MUL),
  DIV("/", 5, TokenType.DIV),
  MOD("%", 5, TokenType.MOD),
  ATAN2("atan2", 5, TokenType.ATAN2),
  POW("^", 6, TokenType.POW);

  private final String text;
  private final int precedence;
  private final TokenType token;

  BinaryOp(String text, int precedence, TokenType token) {
    this.text = text;
    this.precedence = precedence;
    this.token = token;
  }

  public String text() {
    return text;
  }

  int precedence() {
    return precedence;
  }

  /** {@code ^} is the only right-associative operator. */
  boolean rightAssociative() {
    return this == POW;
  }

  public boolean isComparison() {
    return switch (this) {
      case EQL, NEQ, LTE, LSS, GTE, GTR -> true;
      case OR, AND, UNLESS, ADD, SUB, MUL, DIV, MOD, ATAN2, POW -> false;
    };
  }

  public boolean isSetOperator() {
    return switch (this) {
      case OR, AND, UNLESS -> true;
      case EQL, NEQ, LTE, LSS, GTE, GTR, ADD, SUB, MUL, DIV, MOD, ATAN2, POW -> false;
    };
  }

  /** The operator a token stands for, or null. */
  static BinaryOp of(TokenType t) {
    for (BinaryOp op : values()) {
      if (op.token == t) {
        return op;
      }
    }
    return null;
  }
}
