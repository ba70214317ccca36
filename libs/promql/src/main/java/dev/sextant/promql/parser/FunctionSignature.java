package dev.sextant.promql.parser;

import java.util.List;

/**
 * A function's name, argument types and return type. {@code variadic} is Prometheus's: 0 for a
 * fixed argument list, n &gt; 0 when up to n trailing arguments may be left out, -1 when the last
 * argument type repeats without limit.
 */
public record FunctionSignature(
    String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
  public FunctionSignature {
    argTypes = List.copyOf(argTypes);
  }

  /** The type the argument at {@code index} must have. */
  public ValueType argType(int index) {
    return index < argTypes.size() ? argTypes.get(index) : argTypes.get(argTypes.size() - 1);
  }
}
