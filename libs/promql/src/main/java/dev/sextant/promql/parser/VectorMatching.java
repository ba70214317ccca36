package dev.sextant.promql.parser;

import java.util.List;

/**
 * How the samples of the two sides of a vector/vector operation are paired: by the labels listed
 * ({@code on}) or by all but them ({@code ignoring}); {@code include} are the labels copied from
 * the "one" side by group_left/group_right.
 */
public record VectorMatching(
    Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {

  public VectorMatching {
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }

  /** Which side may have many samples per match group. */
  public enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }
}
