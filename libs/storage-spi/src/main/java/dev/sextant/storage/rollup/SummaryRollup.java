package dev.sextant.storage.rollup;

import dev.sextant.model.SummaryPoint;
import java.util.Objects;

/**
 * A window of a summary. Quantiles cannot be merged, so only the latest sample keeps them.
 *
 * @param countIncrease the reset-adjusted increase of the count ({@link Rollups})
 * @param sumIncrease the reset-adjusted increase of the sum
 * @param last the latest sample
 */
public record SummaryRollup(
    long windowStartUnixNanos,
    long count,
    long countIncrease,
    ExactSum sumIncrease,
    SummaryPoint last)
    implements Rollup {

  public SummaryRollup {
    Objects.requireNonNull(sumIncrease, "sumIncrease");
    Objects.requireNonNull(last, "last");
  }
}
