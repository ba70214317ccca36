package dev.sextant.promql.engine;

import dev.sextant.model.Labels;
import dev.sextant.promql.functions.RangeFunction;
import dev.sextant.promql.functions.Window;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.RangeSeries;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Slides each series' window along the steps and applies a range function. */
final class RangeCalls {
  private RangeCalls() {}

  static Value.Vector apply(
      QueryContext ctx, RangeFunction f, RangeInput in, double[][] scalarArgs, Steps steps) {
    int n = steps.count();
    Window w = new Window();
    double[] argsAtStep = new double[scalarArgs.length];
    List<StepSeries> out = new ArrayList<>(in.series().size());
    Set<Labels> seen = new HashSet<>();
    for (RangeSeries s : in.series()) {
      ctx.checkDeadline();
      Labels labels = f.keepsName() ? s.labels() : LabelSets.withoutName(s.labels());
      StepSeries r = new StepSeries(labels, n);
      long[] ts = s.timestamps();
      int lo = 0;
      int hi = 0; // window is [lo, hi)
      for (int i = 0; i < n; i++) {
        long stepTime = steps.time(i);
        long maxt = Selectors.readTime(ctx, in.at(), in.offsetMs(), steps, stepTime);
        long mint = maxt - in.rangeMs();
        while (lo < s.size() && ts[lo] < mint) {
          lo++;
        }
        if (hi < lo) {
          hi = lo;
        }
        while (hi < s.size() && ts[hi] <= maxt) {
          hi++;
        }
        int size = hi - lo;
        if (size == 0 || size < f.minSamples()) {
          continue;
        }
        for (int a = 0; a < scalarArgs.length; a++) {
          argsAtStep[a] = scalarArgs[a][i];
        }
        w.set(ts, s.values(), lo, hi, stepTime, mint, maxt, in.rangeMs());
        r.set(i, f.apply(w, argsAtStep));
      }
      if (!r.isEmpty()) {
        // Unlike instant functions, any two output series with equal labels are an error, even
        // when their steps do not overlap (Prometheus checks the whole matrix here).
        if (!seen.add(labels)) {
          throw PromQLException.execution(SeriesCollector.DUPLICATE_LABELSET);
        }
        ctx.addSamples(r.pointCount());
        out.add(r);
      }
    }
    return new Value.Vector(out);
  }
}
