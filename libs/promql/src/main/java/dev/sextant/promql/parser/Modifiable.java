package dev.sextant.promql.parser;

/** The nodes that carry {@code offset} and {@code @}: selectors and subqueries. */
sealed interface Modifiable permits VectorSelector, SubqueryExpr {
  long offsetMs();

  AtModifier at();

  Modifiable withOffset(long offsetMs);

  Modifiable withAt(AtModifier at);
}
