package dev.sextant.promql.functions;

import dev.sextant.promql.value.Value;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Per-sample arithmetic: abs, exp, logarithms, rounding, clamping, trigonometry. */
final class MathFunctions {
  private MathFunctions() {}

  static void register(Map<String, FunctionImpl> r) {
    unary(r, "abs", Math::abs);
    unary(r, "ceil", Math::ceil);
    unary(r, "floor", Math::floor);
    unary(r, "exp", Math::exp);
    unary(r, "sqrt", Math::sqrt);
    unary(r, "ln", Math::log);
    unary(r, "log2", GoMath::log2);
    unary(r, "log10", Math::log10);
    unary(r, "sgn", v -> v < 0 ? -1 : v > 0 ? 1 : v);
    unary(r, "acos", Math::acos);
    unary(r, "asin", Math::asin);
    unary(r, "atan", Math::atan);
    unary(r, "cos", Math::cos);
    unary(r, "sin", Math::sin);
    unary(r, "tan", Math::tan);
    unary(r, "cosh", Math::cosh);
    unary(r, "sinh", Math::sinh);
    unary(r, "tanh", Math::tanh);
    unary(r, "acosh", GoMath::acosh);
    unary(r, "asinh", GoMath::asinh);
    unary(r, "atanh", GoMath::atanh);
    unary(r, "deg", v -> v * 180 / Math.PI);
    unary(r, "rad", v -> v * Math.PI / 180);
    r.put(
        "clamp",
        (InstantFunction)
            (args, exprs, steps) ->
                clamp(
                    (Value.Vector) args.get(0),
                    (Value.Scalar) args.get(1),
                    (Value.Scalar) args.get(2)));
    withScalar(r, "clamp_min", Math::max);
    withScalar(r, "clamp_max", Math::min);
    r.put(
        "round",
        (InstantFunction)
            (args, exprs, steps) -> {
              double[] to = args.size() > 1 ? ((Value.Scalar) args.get(1)).values() : null;
              return Elementwise.map(
                  (Value.Vector) args.get(0),
                  (v, i) -> {
                    // Rounding to the inverse has fewer floating point surprises; ties go up.
                    double inverse = 1.0 / (to == null ? 1 : to[i]);
                    return Math.floor(v * inverse + 0.5) / inverse;
                  });
            });
  }

  /** A function of each sample's value and the scalar argument at its step. */
  private static void withScalar(Map<String, FunctionImpl> r, String name, DoubleBinaryOperator f) {
    r.put(
        name,
        (InstantFunction)
            (args, exprs, steps) -> {
              double[] scalar = ((Value.Scalar) args.get(1)).values();
              return Elementwise.map(
                  (Value.Vector) args.get(0), (v, i) -> f.applyAsDouble(v, scalar[i]));
            });
  }

  private static void unary(Map<String, FunctionImpl> r, String name, DoubleUnaryOperator f) {
    r.put(
        name,
        (InstantFunction)
            (args, exprs, steps) ->
                Elementwise.map((Value.Vector) args.get(0), (v, i) -> f.applyAsDouble(v)));
  }

  /** An empty result at steps where max &lt; min, as Prometheus. */
  private static Value clamp(Value.Vector in, Value.Scalar min, Value.Scalar max) {
    Value.Vector mapped =
        Elementwise.map(in, (v, i) -> Math.max(min.values()[i], Math.min(max.values()[i], v)));
    for (var s : mapped.series()) {
      for (int i = 0; i < s.steps(); i++) {
        if (max.values()[i] < min.values()[i]) {
          s.clear(i);
        }
      }
    }
    return mapped;
  }
}
