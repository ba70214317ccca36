package dev.sextant.promql.functions;

import dev.sextant.model.Labels;
import dev.sextant.promql.parser.Expr;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Functions of whole vectors or of time: absent, scalar, vector, time, pi, sort, timestamp. */
final class VectorFunctions {
  private VectorFunctions() {}

  static void register(Map<String, FunctionImpl> r) {
    r.put("absent", (InstantFunction) VectorFunctions::absent);
    r.put(
        "scalar",
        (InstantFunction) (args, exprs, steps) -> scalar((Value.Vector) args.get(0), steps));
    r.put(
        "vector",
        (InstantFunction)
            (args, exprs, steps) -> {
              double[] v = ((Value.Scalar) args.get(0)).values().clone();
              boolean[] present = new boolean[v.length];
              java.util.Arrays.fill(present, true);
              return new Value.Vector(List.of(new StepSeries(Labels.empty(), v, present)));
            });
    r.put(
        "time",
        (InstantFunction)
            (args, exprs, steps) -> {
              double[] v = new double[steps.count()];
              for (int i = 0; i < v.length; i++) {
                v[i] = steps.time(i) / 1000.0;
              }
              return new Value.Scalar(v);
            });
    r.put(
        "pi",
        (InstantFunction)
            (args, exprs, steps) -> {
              double[] v = new double[steps.count()];
              java.util.Arrays.fill(v, Math.PI);
              return new Value.Scalar(v);
            });
    r.put(
        "timestamp",
        (InstantFunction)
            (args, exprs, steps) ->
                Elementwise.map((Value.Vector) args.get(0), (v, i) -> steps.time(i) / 1000.0));
    r.put("sort", (InstantFunction) (args, exprs, steps) -> sort(args.get(0), false));
    r.put("sort_desc", (InstantFunction) (args, exprs, steps) -> sort(args.get(0), true));
  }

  private static Value absent(List<Value> args, List<Expr> exprs, Steps steps) {
    return Absence.of((Value.Vector) args.get(0), Absence.labels(exprs.get(0)), steps);
  }

  /** The single sample's value at each step; NaN where there are none or several. */
  private static Value scalar(Value.Vector in, Steps steps) {
    double[] out = new double[steps.count()];
    for (int i = 0; i < out.length; i++) {
      int n = 0;
      double v = Double.NaN;
      for (StepSeries s : in.series()) {
        if (s.has(i)) {
          n++;
          v = s.value(i);
        }
      }
      out[i] = n == 1 ? v : Double.NaN;
    }
    return new Value.Scalar(out);
  }

  /** Only an instant query's order shows; ascending or descending by value, NaN last. */
  private static Value sort(Value v, boolean descending) {
    Value.Vector in = (Value.Vector) v;
    List<StepSeries> sorted = new ArrayList<>(in.series());
    Comparator<StepSeries> byValue =
        (a, b) -> {
          double x = a.has(0) ? a.value(0) : Double.NaN;
          double y = b.has(0) ? b.value(0) : Double.NaN;
          if (Double.isNaN(x) || Double.isNaN(y)) {
            return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
          }
          return descending ? Double.compare(y, x) : Double.compare(x, y);
        };
    sorted.sort(byValue);
    return new Value.Vector(sorted);
  }
}
