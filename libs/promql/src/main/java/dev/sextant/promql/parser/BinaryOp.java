package dev.sextant.promql.parser;

/** The binary operators, with Prometheus's precedence (higher binds tighter). */
public enum BinaryOp {
  OR("or", 1),
  AND("and", 2),
  UNLESS("unless", 2),
  EQL("==", 3),
  NEQ("!=", 3),
  LTE("<=", 3),
  LSS("<", 3),
  GTE(">=", 3),
  GTR(">", 3),
  ADD("+", 4),
  SUB("-", 4),
  MUL("*", 5),
  DIV("/", 5),
  MOD("%", 5),
  ATAN2("atan2", 5),
  POW("^", 6);

  private final String text;
  private final int precedence;

  BinaryOp(String text, int precedence) {
    this.text = text;
    this.precedence = precedence;
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

  static BinaryOp of(TokenType t) {
    return switch (t) {
      case LOR -> OR;
      case LAND -> AND;
      case LUNLESS -> UNLESS;
      case EQLC -> EQL;
      case NEQ -> NEQ;
      case LTE -> LTE;
      case LSS -> LSS;
      case GTE -> GTE;
      case GTR -> GTR;
      case ADD -> ADD;
      case SUB -> SUB;
      case MUL -> MUL;
      case DIV -> DIV;
      case MOD -> MOD;
      case ATAN2 -> ATAN2;
      case POW -> POW;
      default -> null;
    };
  }
}
