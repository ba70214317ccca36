package dev.sextant.storage.rollup;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.SummaryPoint;

/** Count, count and sum increases and the last sample of a summary's window. */
final class SummaryWindow implements Window {
  private long count;
  private long countIncrease;
  private final ExactSum.Accumulator sumIncrease = new ExactSum.Accumulator();
  private SummaryPoint last;

  @Override
  public void add(MetricPoint previous, MetricPoint point) {
    SummaryPoint p = (SummaryPoint) point;
    count++;
    last = p;
    if (previous == null) {
      return;
    }
    if (previous instanceof SummaryPoint a && p.count() >= a.count() && Window.sameStart(a, p)) {
      countIncrease += p.count() - a.count();
      sumIncrease.add(p.sum());
      sumIncrease.add(-a.sum());
    } else {
      countIncrease += p.count();
      sumIncrease.add(p.sum());
    }
  }

  @Override
  public void add(Rollup later) {
    SummaryRollup r = (SummaryRollup) later;
    count += r.count();
    countIncrease += r.countIncrease();
    sumIncrease.add(r.sumIncrease());
    last = r.last();
  }

  @Override
  public Rollup toRollup(long windowStartUnixNanos) {
    return new SummaryRollup(windowStartUnixNanos, count, countIncrease, sumIncrease.toSum(), last);
  }
}
