package dev.sextant.promql.parser;

/** {@code selector[range]}: the samples of each series within the range before each step. */
public record MatrixSelector(VectorSelector selector, long rangeMs, PositionRange position)
    implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }
}
