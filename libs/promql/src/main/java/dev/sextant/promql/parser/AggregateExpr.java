package dev.sextant.promql.parser;

import java.util.List;

/**
 * {@code op by|without (grouping) ([param,] expr)}; {@code param} is null except for topk, bottomk,
 * quantile and count_values.
 */
public record AggregateExpr(
    AggregationOp op,
    Expr expr,
    Expr param,
    List<String> grouping,
    boolean without,
    PositionRange position)
    implements Expr {
  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }
}
