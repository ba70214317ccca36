package dev.sextant.promql.parser;

import static dev.sextant.promql.parser.ValueType.MATRIX;
import static dev.sextant.promql.parser.ValueType.SCALAR;
import static dev.sextant.promql.parser.ValueType.STRING;
import static dev.sextant.promql.parser.ValueType.VECTOR;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The functions of Prometheus 2.42 that work on float samples (native-histogram functions are not
 * supported). The engine's function registry implements exactly these names.
 */
public final class FunctionSignatures {
  private static final Map<String, FunctionSignature> ALL = build();

  private FunctionSignatures() {}

  /** The signature, or null for an unknown name. */
  public static FunctionSignature lookup(String name) {
    return ALL.get(name);
  }

  /** Every signature by name. */
  public static Map<String, FunctionSignature> all() {
    return ALL;
  }

  private static Map<String, FunctionSignature> build() {
    TreeMap<String, FunctionSignature> m = new TreeMap<>();
    for (String f :
        List.of(
            "abs",
            "ceil",
            "exp",
            "floor",
            "ln",
            "log10",
            "log2",
            "sqrt",
            "sgn",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "cos",
            "cosh",
            "sin",
            "sinh",
            "tan",
            "tanh",
            "deg",
            "rad",
            "sort",
            "sort_desc",
            "timestamp",
            "absent")) {
      add(m, f, List.of(VECTOR), 0, VECTOR);
    }
    for (String f :
        List.of(
            "changes",
            "delta",
            "deriv",
            "idelta",
            "increase",
            "irate",
            "rate",
            "resets",
            "absent_over_time",
            "avg_over_time",
            "count_over_time",
            "last_over_time",
            "max_over_time",
            "min_over_time",
            "present_over_time",
            "stddev_over_time",
            "stdvar_over_time",
            "sum_over_time")) {
      add(m, f, List.of(MATRIX), 0, VECTOR);
    }
    for (String f :
        List.of(
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "hour",
            "minute",
            "month",
            "year")) {
      add(m, f, List.of(VECTOR), 1, VECTOR);
    }
    add(m, "clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR);
    add(m, "clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR);
    add(m, "clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR);
    add(m, "histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR);
    add(m, "holt_winters", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
    add(m, "label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR);
    add(m, "label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR);
    add(m, "pi", List.of(), 0, SCALAR);
    add(m, "predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR);
    add(m, "quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR);
    add(m, "round", List.of(VECTOR, SCALAR), 1, VECTOR);
    add(m, "scalar", List.of(VECTOR), 0, SCALAR);
    add(m, "time", List.of(), 0, SCALAR);
    add(m, "vector", List.of(SCALAR), 0, VECTOR);
    return Collections.unmodifiableMap(m);
  }

  private static void add(
      Map<String, FunctionSignature> m,
      String name,
      List<ValueType> args,
      int variadic,
      ValueType ret) {
    m.put(name, new FunctionSignature(name, args, variadic, ret));
  }
}
