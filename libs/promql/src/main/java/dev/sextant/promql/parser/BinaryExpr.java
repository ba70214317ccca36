package dev.sextant.promql.parser;

/**
 * {@code lhs op [bool] [on|ignoring (labels) [group_left|group_right (labels)]] rhs}. {@code
 * matching} is null unless both sides are instant vectors.
 */
public record BinaryExpr(
    BinaryOp op,
    Expr lhs,
    Expr rhs,
    VectorMatching matching,
    boolean returnBool,
    PositionRange position)
    implements Expr {
  @Override
  public ValueType type() {
    return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
        ? ValueType.SCALAR
        : ValueType.VECTOR;
  }
}
