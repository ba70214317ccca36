package dev.sextant.promql.functions;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Every function the engine can call, by name; the parser's signature table names the same set (a
 * test keeps them equal). Implementations are stateless and shared by concurrent queries.
 */
public final class FunctionRegistry {
  private static final Map<String, FunctionImpl> FUNCTIONS = build();

  private FunctionRegistry() {}

  public static FunctionImpl lookup(String name) {
    FunctionImpl f = FUNCTIONS.get(name);
    if (f == null) {
      throw new IllegalArgumentException("no implementation for function " + name);
    }
    return f;
  }

  public static Map<String, FunctionImpl> all() {
    return FUNCTIONS;
  }

  private static Map<String, FunctionImpl> build() {
    Map<String, FunctionImpl> r = new HashMap<>();
    MathFunctions.register(r);
    DateFunctions.register(r);
    VectorFunctions.register(r);
    LabelFunctions.register(r);
    OverTimeFunctions.register(r);
    RateFunctions.register(r);
    r.put("histogram_quantile", new HistogramQuantile());
    return Collections.unmodifiableMap(r);
  }
}
