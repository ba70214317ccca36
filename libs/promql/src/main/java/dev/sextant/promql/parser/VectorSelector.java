package dev.sextant.promql.parser;

import dev.sextant.storage.query.LabelMatcher;
import java.util.List;

/**
 * {@code name{matchers} offset d @ t}. The matchers include the {@code __name__} matcher when a
 * name was given; {@code name} is that name or {@code null}. Offsets are milliseconds, negative
 * ones look ahead.
 */
public record VectorSelector(
    String name, List<LabelMatcher> matchers, long offsetMs, AtModifier at, PositionRange position)
    implements Expr, Modifiable {

  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  @Override
  public VectorSelector withOffset(long offset) {
    return new VectorSelector(name, matchers, offset, at, position);
  }

  @Override
  public VectorSelector withAt(AtModifier modifier) {
    return new VectorSelector(name, matchers, offsetMs, modifier, position);
  }
}
