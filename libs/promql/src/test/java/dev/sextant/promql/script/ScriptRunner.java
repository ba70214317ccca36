package dev.sextant.promql.script;

import dev.sextant.promql.engine.Engine;
import dev.sextant.promql.engine.PromQLException;
import dev.sextant.promql.engine.QueryResult;
import dev.sextant.promql.storage.InMemoryQuerier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs a script's evals on this engine over the script's data. */
final class ScriptRunner {
  private ScriptRunner() {}

  static Outcome run(Engine engine, InMemoryQuerier querier, Script.Eval e) {
    try {
      return switch (e.kind()) {
        case INSTANT -> instant(engine.instantQuery(querier, e.query(), e.startMs()));
        case RANGE ->
            range(
                engine.rangeQuery(querier, e.query(), e.startMs(), e.endMs(), e.stepMs()),
                e.startMs(),
                e.endMs(),
                e.stepMs());
      };
    } catch (PromQLException ex) {
      return Outcome.failed(ex.getMessage());
    }
  }

  private static Outcome instant(QueryResult r) {
    return switch (r) {
      case QueryResult.Scalar s -> new Outcome(null, s.value(), List.of());
      case QueryResult.Str s -> new Outcome(null, null, List.of());
      case QueryResult.Vector v -> {
        List<Script.Expected> out = new ArrayList<>();
        for (QueryResult.Sample s : v.samples()) {
          out.add(new Script.Expected(s.labels(), List.of(s.value())));
        }
        yield new Outcome(null, null, out);
      }
      case QueryResult.Matrix m -> {
        List<Script.Expected> out = new ArrayList<>();
        for (QueryResult.SeriesPoints s : m.series()) {
          out.add(new Script.Expected(s.labels(), Arrays.stream(s.values()).boxed().toList()));
        }
        yield new Outcome(null, null, out);
      }
    };
  }

  static Outcome range(QueryResult r, long start, long end, long step) {
    List<Script.Expected> out = new ArrayList<>();
    for (QueryResult.SeriesPoints s : ((QueryResult.Matrix) r).series()) {
      out.add(
          new Script.Expected(s.labels(), aligned(s.timestampsMs(), s.values(), start, end, step)));
    }
    return new Outcome(null, null, out);
  }

  static List<Double> aligned(long[] ts, double[] vs, long start, long end, long step) {
    int n = (int) ((end - start) / step) + 1;
    Double[] out = new Double[n];
    for (int i = 0; i < ts.length; i++) {
      out[(int) ((ts[i] - start) / step)] = vs[i];
    }
    return Arrays.asList(out);
  }
}
