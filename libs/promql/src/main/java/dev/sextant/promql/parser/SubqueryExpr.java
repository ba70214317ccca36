package dev.sextant.promql.parser;

/**
 * {@code expr[range:step] offset d @ t}: the inner instant-vector expression evaluated at every
 * step-aligned time in the range. A step of 0 means "the engine's default step".
 */
public record SubqueryExpr(
    Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at, PositionRange position)
    implements Expr, Modifiable {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public SubqueryExpr withOffset(long offset) {
    return new SubqueryExpr(expr, rangeMs, stepMs, offset, at, position);
  }

  @Override
  public SubqueryExpr withAt(AtModifier modifier) {
    return new SubqueryExpr(expr, rangeMs, stepMs, offsetMs, modifier, position);
  }
}
