package dev.sextant.storage.rollup;

import dev.sextant.model.NumberPoint;
import java.util.Objects;

/**
 * A window of a counter, up-down counter, gauge or untyped series.
 *
 * @param sum the sum of the values
 * @param min the smallest value, NaN values ignored (NaN only when every value is)
 * @param max the largest value, NaN values ignored (NaN only when every value is)
 * @param first the earliest sample
 * @param last the latest sample
 * @param increase the reset-adjusted increase ({@link Rollups}): meaningful for counters, reported
 *     for every number series
 */
public record NumberRollup(
    long windowStartUnixNanos,
    long count,
    ExactSum sum,
    double min,
    double max,
    NumberPoint first,
    NumberPoint last,
    ExactSum increase)
    implements Rollup {

  public NumberRollup {
    Objects.requireNonNull(sum, "sum");
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(increase, "increase");
  }
}
