package dev.sextant.promql.parser;

import java.util.List;

/** A function call; the signature was checked by the parser. */
public record Call(FunctionSignature function, List<Expr> args, PositionRange position)
    implements Expr {
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ValueType type() {
    return function.returnType();
  }
}
