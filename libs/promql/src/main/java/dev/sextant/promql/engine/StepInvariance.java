package dev.sextant.promql.engine;

import dev.sextant.promql.parser.AggregateExpr;
import dev.sextant.promql.parser.BinaryExpr;
import dev.sextant.promql.parser.Call;
import dev.sextant.promql.parser.Expr;
import dev.sextant.promql.parser.MatrixSelector;
import dev.sextant.promql.parser.NumberLiteral;
import dev.sextant.promql.parser.ParenExpr;
import dev.sextant.promql.parser.StringLiteral;
import dev.sextant.promql.parser.SubqueryExpr;
import dev.sextant.promql.parser.UnaryExpr;
import dev.sextant.promql.parser.VectorSelector;
import java.util.Set;

/**
 * Which expressions have the same value at every step, by Prometheus's rules: selectors under
 * {@code @}, literals, and operations over only such inputs, except functions that read the
 * evaluation time.
 */
final class StepInvariance {
  private static final Set<String> TIME_DEPENDENT =
      Set.of(
          "days_in_month",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "hour",
          "minute",
          "month",
          "year",
          "predict_linear",
          "time",
          "timestamp");

  private StepInvariance() {}

  static boolean isInvariant(Expr e) {
    return switch (e) {
      case VectorSelector vs -> vs.at() != null;
      case MatrixSelector ms -> ms.selector().at() != null;
      case SubqueryExpr sq -> sq.at() != null;
      case NumberLiteral n -> true;
      case StringLiteral s -> true;
      case ParenExpr p -> isInvariant(p.expr());
      case UnaryExpr u -> isInvariant(u.expr());
      case AggregateExpr a ->
          isInvariant(a.expr()) && (a.param() == null || isInvariant(a.param()));
      case BinaryExpr b -> isInvariant(b.lhs()) && isInvariant(b.rhs());
      case Call c -> {
        if (TIME_DEPENDENT.contains(c.function().name())) {
          yield false;
        }
        boolean all = true;
        for (Expr a : c.args()) {
          all &= isInvariant(a);
        }
        yield all;
      }
    };
  }
}
