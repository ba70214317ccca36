package dev.sextant.promql.parser;

/** {@code (expr)}: kept in the tree so the printer can give back what was written. */
public record ParenExpr(Expr expr, PositionRange position) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }
}
