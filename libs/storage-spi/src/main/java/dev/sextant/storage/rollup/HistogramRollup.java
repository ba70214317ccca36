package dev.sextant.storage.rollup;

import dev.sextant.model.HistogramPoint;
import java.util.Objects;

/**
 * A window of a histogram with explicit buckets.
 *
 * @param increase the reset-adjusted increase of count, sum and every bucket ({@link Rollups}), as
 *     a histogram starting at the window start and timed at the last sample; its bounds are the
 *     union of the bounds seen (a count of bucket {@code (a, b]} lands in the bucket ending at b);
 *     min and max are NaN
 * @param sumIncrease the increase of the sum, exactly ({@code increase.sum()} is its value)
 * @param last the latest sample
 */
public record HistogramRollup(
    long windowStartUnixNanos,
    long count,
    HistogramPoint increase,
    ExactSum sumIncrease,
    HistogramPoint last)
    implements Rollup {

  public HistogramRollup {
    Objects.requireNonNull(increase, "increase");
    Objects.requireNonNull(sumIncrease, "sumIncrease");
    Objects.requireNonNull(last, "last");
  }
}
