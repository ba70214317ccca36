package dev.sextant.promql.engine;

import dev.sextant.promql.functions.Absence;
import dev.sextant.promql.functions.FunctionException;
import dev.sextant.promql.functions.FunctionImpl;
import dev.sextant.promql.functions.FunctionRegistry;
import dev.sextant.promql.functions.InstantFunction;
import dev.sextant.promql.functions.RangeFunction;
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
import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.RangeSeries;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates an expression at every step of one {@link Steps} grid. A subquery gets an evaluator of
 * its own over its own grid; everything else of the query is shared through the context.
 */
final class Evaluator {
  private final QueryContext ctx;
  private final Steps steps;

  Evaluator(QueryContext ctx, Steps steps) {
    this.ctx = ctx;
    this.steps = steps;
  }

  Value eval(Expr e) {
    return eval(e, Selectors.Context.NONE);
  }

  private Value eval(Expr e, Selectors.Context hints) {
    ctx.checkDeadline();
    if (steps.count() > 1
        && !(e instanceof NumberLiteral)
        && !(e instanceof StringLiteral)
        && StepInvariance.isInvariant(e)) {
      // Prometheus evaluates step-invariant expressions (those under @) once, at the start.
      Value once = new Evaluator(ctx, Steps.instant(steps.start())).eval(e, hints);
      return broadcast(once);
    }
    return switch (e) {
      case NumberLiteral n -> constant(n.value());
      case StringLiteral s -> new Value.Str(s.value());
      case ParenExpr p -> eval(p.expr(), hints);
      case UnaryExpr u -> unary(u, hints);
      case VectorSelector vs -> Selectors.instant(ctx, vs, steps, hints, false);
      case MatrixSelector ms -> rangeValue(rangeInput(ms, hints));
      case SubqueryExpr sq -> rangeValue(rangeInput(sq, hints));
      case Call c -> call(c, hints);
      case AggregateExpr a -> aggregate(a);
      case BinaryExpr b -> BinaryOps.apply(b, eval(b.lhs()), eval(b.rhs()), steps);
    };
  }

  private Value constant(double v) {
    double[] values = new double[steps.count()];
    Arrays.fill(values, v);
    return new Value.Scalar(values);
  }

  private Value broadcast(Value once) {
    int n = steps.count();
    return switch (once) {
      case Value.Scalar s -> constant(s.values()[0]);
      case Value.Vector v -> {
        List<StepSeries> out = new ArrayList<>(v.series().size());
        for (StepSeries s : v.series()) {
          if (!s.has(0)) {
            continue;
          }
          StepSeries r = new StepSeries(s.labels(), n);
          for (int i = 0; i < n; i++) {
            r.set(i, s.value(0));
          }
          out.add(r);
        }
        yield new Value.Vector(out);
      }
      case Value.Str s -> s;
      case Value.Matrix m -> m;
    };
  }

  private Value unary(UnaryExpr u, Selectors.Context hints) {
    Value v = eval(u.expr(), hints);
    if (!u.negate()) {
      return v;
    }
    return switch (v) {
      case Value.Scalar s -> {
        double[] out = new double[s.values().length];
        for (int i = 0; i < out.length; i++) {
          out[i] = -s.values()[i];
        }
        yield new Value.Scalar(out);
      }
      case Value.Vector vec -> {
        List<StepSeries> out = new ArrayList<>(vec.series().size());
        Set<dev.sextant.model.Labels> seen = new HashSet<>();
        for (StepSeries s : vec.series()) {
          StepSeries r = new StepSeries(LabelSets.withoutName(s.labels()), s.steps());
          for (int i = 0; i < s.steps(); i++) {
            if (s.has(i)) {
              r.set(i, -s.value(i));
            }
          }
          if (!seen.add(r.labels())) {
            throw PromQLException.execution(SeriesCollector.DUPLICATE_LABELSET);
          }
          out.add(r);
        }
        yield new Value.Vector(out);
      }
      case Value.Str s -> s;
      case Value.Matrix m -> m;
    };
  }

  // ---- range vectors

  private RangeInput rangeInput(MatrixSelector ms, Selectors.Context hints) {
    VectorSelector vs = ms.selector();
    return new RangeInput(
        Selectors.range(ctx, vs, ms.rangeMs(), steps, hints), ms.rangeMs(), vs.offsetMs(), vs.at());
  }

  private RangeInput rangeInput(SubqueryExpr sq, Selectors.Context hints) {
    long step = sq.stepMs() != 0 ? sq.stepMs() : ctx.options.defaultSubqueryStepMs();
    long first = Selectors.readTime(ctx, sq.at(), sq.offsetMs(), steps, steps.start());
    long last = Selectors.readTime(ctx, sq.at(), sq.offsetMs(), steps, steps.end());
    long from = first - sq.rangeMs();
    // The first step-aligned time at or after the range's start (Go's truncating division).
    long start = step * (from / step);
    if (start < from) {
      start += step;
    }
    List<RangeSeries> series = new ArrayList<>();
    if (start <= last) {
      Steps inner = new Steps(start, last, step);
      Value.Vector v = (Value.Vector) new Evaluator(ctx, inner).eval(sq.expr());
      for (StepSeries s : v.series()) {
        series.add(s.toRange(inner));
      }
    }
    return new RangeInput(series, sq.rangeMs(), sq.offsetMs(), sq.at());
  }

  /** A range vector as a value: only an instant query returns one, each series' last window. */
  private Value rangeValue(RangeInput in) {
    List<RangeSeries> out = new ArrayList<>();
    long maxt = Selectors.readTime(ctx, in.at(), in.offsetMs(), steps, steps.end());
    long mint = maxt - in.rangeMs();
    for (RangeSeries s : in.series()) {
      int lo = 0;
      while (lo < s.size() && s.timestamps()[lo] < mint) {
        lo++;
      }
      int hi = lo;
      while (hi < s.size() && s.timestamps()[hi] <= maxt) {
        hi++;
      }
      if (hi > lo) {
        out.add(
            new RangeSeries(
                s.labels(),
                Arrays.copyOfRange(s.timestamps(), lo, hi),
                Arrays.copyOfRange(s.values(), lo, hi),
                hi - lo));
      }
    }
    return new Value.Matrix(out);
  }

  // ---- functions

  private Value call(Call c, Selectors.Context outer) {
    String name = c.function().name();
    Selectors.Context hints = new Selectors.Context(name, outer.grouping(), outer.by());
    List<Expr> args = new ArrayList<>(c.args().size());
    for (Expr a : c.args()) {
      args.add(unwrap(a));
    }
    FunctionImpl impl = FunctionRegistry.lookup(name);
    try {
      if (name.equals("timestamp") && args.get(0) instanceof VectorSelector vs) {
        // A selector's own sample times, not the step times evaluation would give it.
        Value.Vector times = Selectors.instant(ctx, vs, steps, hints, true);
        List<StepSeries> out = new ArrayList<>();
        for (StepSeries s : times.series()) {
          out.add(s.withLabels(LabelSets.withoutName(s.labels())));
        }
        return collect(new Value.Vector(out));
      }
      return switch (impl) {
        case RangeFunction rf -> rangeCall(c, args, rf, hints);
        case InstantFunction f -> {
          List<Value> values = new ArrayList<>(args.size());
          for (Expr a : args) {
            values.add(eval(a, hints));
          }
          Value result = f.apply(values, args, steps);
          yield result instanceof Value.Vector v ? collect(v) : result;
        }
      };
    } catch (FunctionException e) {
      throw PromQLException.execution(e.getMessage());
    }
  }

  private Value rangeCall(Call c, List<Expr> args, RangeFunction rf, Selectors.Context hints) {
    RangeInput input = null;
    List<double[]> scalars = new ArrayList<>();
    for (Expr a : args) {
      switch (a) {
        case MatrixSelector ms -> input = rangeInput(ms, hints);
        case SubqueryExpr sq -> input = rangeInput(sq, hints);
        default -> scalars.add(((Value.Scalar) eval(a, hints)).values());
      }
    }
    Value.Vector result = RangeCalls.apply(ctx, rf, input, scalars.toArray(new double[0][]), steps);
    if (c.function().name().equals("absent_over_time")) {
      return Absence.of(result, Absence.labels(args.get(0)), steps);
    }
    return result;
  }

  private Value.Vector collect(Value.Vector v) {
    SeriesCollector out = new SeriesCollector(steps.count());
    for (StepSeries s : v.series()) {
      out.add(s);
    }
    return out.result();
  }

  private static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  // ---- aggregations

  private Value aggregate(AggregateExpr a) {
    Selectors.Context hints = new Selectors.Context(null, a.grouping(), !a.without());
    Value param = a.param() == null ? null : eval(a.param());
    Value.Vector in = (Value.Vector) eval(a.expr(), hints);
    return Aggregations.apply(a, in, param, steps);
  }
}
