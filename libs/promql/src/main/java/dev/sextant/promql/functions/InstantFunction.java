package dev.sextant.promql.functions;

import dev.sextant.promql.parser.Expr;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import java.util.List;

/**
 * A function of instant values. It may return several series with the same labels; the engine
 * merges them and fails a step where two have a sample, as Prometheus does.
 */
public non-sealed interface InstantFunction extends FunctionImpl {
  Value apply(List<Value> args, List<Expr> argExprs, Steps steps);
}
