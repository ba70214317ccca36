package dev.sextant.promql.value;

import dev.sextant.model.Labels;

/**
 * One series of an instant vector evaluated at every step: a value per step and whether the series
 * has a sample at that step. Dense primitive arrays keep step loops free of boxing.
 */
public final class StepSeries {
  private final Labels labels;
  private final double[] values;
  private final boolean[] present;

  public StepSeries(Labels labels, int steps) {
    this(labels, new double[steps], new boolean[steps]);
  }

  public StepSeries(Labels labels, double[] values, boolean[] present) {
    this.labels = labels;
    this.values = values;
    this.present = present;
  }

  public Labels labels() {
    return labels;
  }

  /** The same points under other labels (the arrays are shared, not copied). */
  public StepSeries withLabels(Labels other) {
    return new StepSeries(other, values, present);
  }

  public boolean has(int step) {
    return present[step];
  }

  public double value(int step) {
    return values[step];
  }

  public void set(int step, double value) {
    values[step] = value;
    present[step] = true;
  }

  public void clear(int step) {
    present[step] = false;
  }

  public int steps() {
    return values.length;
  }

  public boolean isEmpty() {
    for (boolean p : present) {
      if (p) {
        return false;
      }
    }
    return true;
  }

  /** The points as a series of samples at the steps' times. */
  public RangeSeries toRange(Steps steps) {
    int n = pointCount();
    long[] ts = new long[n];
    double[] vs = new double[n];
    int k = 0;
    for (int i = 0; i < values.length; i++) {
      if (present[i]) {
        ts[k] = steps.time(i);
        vs[k] = values[i];
        k++;
      }
    }
    return new RangeSeries(labels, ts, vs, n);
  }

  public int pointCount() {
    int n = 0;
    for (boolean p : present) {
      if (p) {
        n++;
      }
    }
    return n;
  }
}
