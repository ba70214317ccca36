package dev.sextant.promql.parser;

/** A string argument (label names in label_replace, count_values' label). */
public record StringLiteral(String value, PositionRange position) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }
}
