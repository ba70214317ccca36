package dev.sextant.storage.rollup;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;

/** Count, sum, extremes, first and last sample and the increase of a number series' window. */
final class NumberWindow implements Window {
  private long count;
  private final ExactSum.Accumulator sum = new ExactSum.Accumulator();
  private final ExactSum.Accumulator increase = new ExactSum.Accumulator();
  private double min = Double.NaN;
  private double max = Double.NaN;
  private NumberPoint first;
  private NumberPoint last;

  @Override
  public void add(MetricPoint previous, MetricPoint point) {
    NumberPoint p = (NumberPoint) point;
    double value = p.value();
    count++;
    sum.add(value);
    min = Double.isNaN(min) ? value : Double.isNaN(value) ? min : Math.min(min, value);
    max = Double.isNaN(max) ? value : Double.isNaN(value) ? max : Math.max(max, value);
    if (first == null) {
      first = p;
    }
    last = p;
    if (previous == null) {
      return;
    }
    // Prometheus' rule: a decrease (or a new start) is a reset, after which the value is the
    // increase. Adding b and -a exactly, not b - a rounded, keeps the sum order-independent.
    if (previous instanceof NumberPoint a && value >= a.value() && Window.sameStart(a, p)) {
      increase.add(value);
      increase.add(-a.value());
    } else {
      increase.add(value);
    }
  }

  @Override
  public void add(Rollup later) {
    NumberRollup r = (NumberRollup) later;
    count += r.count();
    sum.add(r.sum());
    increase.add(r.increase());
    min = Double.isNaN(min) ? r.min() : Double.isNaN(r.min()) ? min : Math.min(min, r.min());
    max = Double.isNaN(max) ? r.max() : Double.isNaN(r.max()) ? max : Math.max(max, r.max());
    if (first == null) {
      first = r.first();
    }
    last = r.last();
  }

  @Override
  public Rollup toRollup(long windowStartUnixNanos) {
    return new NumberRollup(
        windowStartUnixNanos, count, sum.toSum(), min, max, first, last, increase.toSum());
  }
}
