package dev.sextant.storage.rollup;

import dev.sextant.model.ExponentialHistogramPoint;
import java.util.Objects;

/**
 * A window of an exponential histogram.
 *
 * @param increase the reset-adjusted increase ({@link Rollups}) as one histogram at the lowest
 *     scale seen, with the largest zero threshold seen, starting at the window start and timed at
 *     the last sample; min and max are NaN
 * @param sumIncrease the increase of the sum, exactly ({@code increase.sum()} is its value)
 * @param last the latest sample
 */
public record ExponentialHistogramRollup(
    long windowStartUnixNanos,
    long count,
    ExponentialHistogramPoint increase,
    ExactSum sumIncrease,
    ExponentialHistogramPoint last)
    implements Rollup {

  public ExponentialHistogramRollup {
    Objects.requireNonNull(increase, "increase");
    Objects.requireNonNull(sumIncrease, "sumIncrease");
    Objects.requireNonNull(last, "last");
  }
}
