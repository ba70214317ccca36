package dev.sextant.promql.engine;

import dev.sextant.promql.parser.AtModifier;
import dev.sextant.promql.parser.VectorSelector;
import dev.sextant.promql.storage.SelectHints;
import dev.sextant.promql.storage.Series;
import dev.sextant.promql.storage.SeriesSet;
import dev.sextant.promql.value.RangeSeries;
import dev.sextant.promql.value.StaleMarker;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.List;

/** Reads selectors from the querier: instant selectors with lookback, range selectors raw. */
final class Selectors {
  private Selectors() {}

  /** Hints the enclosing nodes contribute (function name, aggregation grouping). */
  record Context(String function, List<String> grouping, boolean by) {
    static final Context NONE = new Context(null, List.of(), false);

    SelectHints toSelectHints(long start, long end, Steps steps, long rangeMs, long lookbackMs) {
      long step = steps.count() == 1 ? 0 : steps.interval();
      return new SelectHints(start, end, step, rangeMs, lookbackMs, function, grouping, by);
    }
  }

  /**
   * The time a selector reads at for a step: the step's time minus the offset, or with {@code @},
   * the @ time minus the offset. Where the enclosing expression still varies by step (a
   * time-dependent function like predict_linear over {@code x[5m] @ t}), Prometheus 2.42 turns @
   * into an offset relative to the first step, so later steps read later; this does the same.
   * Step-invariant expressions are evaluated at the first step only, where both agree.
   */
  static long readTime(QueryContext ctx, AtModifier at, long offset, Steps steps, long stepTime) {
    if (at == null) {
      return stepTime - offset;
    }
    return atTime(ctx, at) - offset + (stepTime - steps.start());
  }

  /** The last step's time: the query's end, unless the steps do not reach it exactly. */
  private static long lastStep(Steps steps) {
    return steps.time(steps.count() - 1);
  }

  static long atTime(QueryContext ctx, AtModifier at) {
    return switch (at.kind()) {
      case START -> ctx.queryStart;
      case END -> ctx.queryEnd;
      case TIMESTAMP -> at.timestampMs();
    };
  }

  /**
   * Each series' latest sample at or before each step's read time, if it is no older than the
   * lookback delta and not a staleness marker. With {@code timestamps}, the value is the sample's
   * time in seconds instead (what timestamp() of a selector returns).
   */
  static Value.Vector instant(
      QueryContext ctx, VectorSelector vs, Steps steps, Context hints, boolean timestamps) {
    if (timestamps && vs.at() != null) {
      return timestampsAt(ctx, vs, steps, hints);
    }
    long lookback = ctx.options.lookbackDeltaMs();
    long first = readTime(ctx, vs.at(), vs.offsetMs(), steps, steps.start());
    long last = readTime(ctx, vs.at(), vs.offsetMs(), steps, lastStep(steps));
    List<Series> series =
        select(ctx, vs, hints.toSelectHints(first - lookback, last, steps, 0, lookback));
    int n = steps.count();
    List<StepSeries> out = new ArrayList<>(series.size());
    for (Series s : series) {
      ctx.checkDeadline();
      StepSeries r = new StepSeries(s.labels(), n);
      long[] ts = s.timestamps();
      double[] vs2 = s.values();
      int j = -1; // index of the latest sample at or before the read time
      for (int i = 0; i < n; i++) {
        long t = readTime(ctx, vs.at(), vs.offsetMs(), steps, steps.time(i));
        while (j + 1 < s.size() && ts[j + 1] <= t) {
          j++;
        }
        if (j >= 0 && ts[j] >= t - lookback && !StaleMarker.is(vs2[j])) {
          r.set(i, timestamps ? ts[j] / 1000.0 : vs2[j]);
        }
      }
      if (!r.isEmpty()) {
        ctx.addSamples(r.pointCount());
        out.add(r);
      }
    }
    return new Value.Vector(out);
  }

  /**
   * {@code timestamp(x @ t)} as Prometheus 2.42 answers it: at every step, the time of the sample x
   * has at t itself, from the samples selected for {@code x @ t} (none later than t minus the
   * offset, none older than the lookback before t or before t minus the offset). Its special case
   * for timestamp() sets the selector's offset to each step's distance from t, so the read does not
   * move with the steps (as under other functions, see {@link #readTime}) and the offset only
   * bounds the selection.
   */
  private static Value.Vector timestampsAt(
      QueryContext ctx, VectorSelector vs, Steps steps, Context hints) {
    long lookback = ctx.options.lookbackDeltaMs();
    long at = atTime(ctx, vs.at());
    long selected = at - vs.offsetMs();
    long newest = Math.min(at, selected);
    long oldest = Math.max(at, selected) - lookback;
    List<Series> series =
        select(
            ctx,
            vs,
            hints.toSelectHints(selected - lookback, newest, Steps.instant(newest), 0, lookback));
    int n = steps.count();
    List<StepSeries> out = new ArrayList<>(series.size());
    for (Series s : series) {
      int j = -1; // index of the latest sample at or before the newest allowed
      while (j + 1 < s.size() && s.timestamps()[j + 1] <= newest) {
        j++;
      }
      if (j < 0 || s.timestamps()[j] < oldest || StaleMarker.is(s.values()[j])) {
        continue;
      }
      StepSeries r = new StepSeries(s.labels(), n);
      for (int i = 0; i < n; i++) {
        r.set(i, s.timestamps()[j] / 1000.0);
      }
      ctx.addSamples(n);
      out.add(r);
    }
    return new Value.Vector(out);
  }

  /** Raw samples (staleness markers dropped) covering every step's window. */
  static List<RangeSeries> range(
      QueryContext ctx, VectorSelector vs, long rangeMs, Steps steps, Context hints) {
    long first = readTime(ctx, vs.at(), vs.offsetMs(), steps, steps.start());
    long last = readTime(ctx, vs.at(), vs.offsetMs(), steps, lastStep(steps));
    List<Series> series =
        select(ctx, vs, hints.toSelectHints(first - rangeMs, last, steps, rangeMs, 0));
    long loadFrom = first - rangeMs;
    long loadTo = last;
    if (vs.at() != null) {
      // Prometheus selects only around the @ time, even where later steps read later (see
      // readTime): those windows see no samples past it.
      loadTo = atTime(ctx, vs.at()) - vs.offsetMs();
      loadFrom = loadTo - rangeMs;
    }
    List<RangeSeries> out = new ArrayList<>(series.size());
    for (Series s : series) {
      long[] ts = new long[s.size()];
      double[] values = new double[s.size()];
      int k = 0;
      for (int i = 0; i < s.size(); i++) {
        long t = s.timestamps()[i];
        double v = s.values()[i];
        if (t < loadFrom || t > loadTo || StaleMarker.is(v)) {
          continue;
        }
        ts[k] = t;
        values[k] = v;
        k++;
      }
      if (k > 0) {
        ctx.addSamples(k);
        out.add(new RangeSeries(s.labels(), ts, values, k));
      }
    }
    return out;
  }

  private static List<Series> select(QueryContext ctx, VectorSelector vs, SelectHints hints) {
    List<Series> out = new ArrayList<>();
    try (SeriesSet set = ctx.querier.select(hints, vs.matchers())) {
      while (set.hasNext()) {
        out.add(set.next());
      }
    }
    return out;
  }
}
