package dev.sextant.promql.functions;

import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.List;

/** Applies a per-sample function to every sample of a vector, dropping the metric name. */
final class Elementwise {
  private Elementwise() {}

  /** A function of a sample's value and the scalar arguments at its step. */
  interface StepFn {
    double apply(double v, int step);
  }

  static Value.Vector map(Value.Vector in, StepFn fn) {
    List<StepSeries> out = new ArrayList<>(in.series().size());
    for (StepSeries s : in.series()) {
      StepSeries r = new StepSeries(LabelSets.withoutName(s.labels()), s.steps());
      for (int i = 0; i < s.steps(); i++) {
        if (s.has(i)) {
          r.set(i, fn.apply(s.value(i), i));
        }
      }
      out.add(r);
    }
    return new Value.Vector(out);
  }

  static double scalarAt(Value v, int step) {
    return ((Value.Scalar) v).values()[step];
  }
}
