package dev.sextant.promql.parser;

/** {@code -expr} or {@code +expr}; a sign before a number literal is folded into the number. */
public record UnaryExpr(boolean negate, Expr expr, PositionRange position) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }
}
