package dev.sextant.promql.parser;

/** A number: {@code 1}, {@code -2.5e3}, {@code 0x1f}, {@code Inf}, {@code NaN}. */
public record NumberLiteral(double value, PositionRange position) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }
}
