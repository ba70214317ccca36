package dev.sextant.promql.parser;

/**
 * A node of a parsed PromQL expression. The permitted records are the whole language; the engine
 * switches over them exhaustively.
 */
public sealed interface Expr
    permits NumberLiteral,
        StringLiteral,
        VectorSelector,
        MatrixSelector,
        SubqueryExpr,
        Call,
        AggregateExpr,
        BinaryExpr,
        UnaryExpr,
        ParenExpr {

  ValueType type();

  PositionRange position();

  /** The canonical PromQL text of this expression (parses back to an equal tree). */
  default String toPromQL() {
    return Printer.print(this);
  }
}
