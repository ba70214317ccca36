package dev.sextant.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.promql.engine.Engine;
import dev.sextant.promql.engine.PromQLException;
import dev.sextant.promql.engine.QueryResult;
import dev.sextant.promql.storage.InMemoryQuerier;
import dev.sextant.promql.storage.Querier;
import dev.sextant.promql.storage.SelectHints;
import dev.sextant.promql.storage.Series;
import dev.sextant.promql.storage.SeriesSet;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.StepSampling;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine uses only the samples its {@link SelectHints} say ({@link SelectHints#sampling}):
 * every compliance template and extra query, as range queries at steps shorter and longer than the
 * scrape interval, ending on a step or between two, and as instant queries, answers exactly the
 * same (every value's bits) from a querier that leaves out every sample {@link StepSampling#needed}
 * leaves out as from one that returns them all. This is what lets a store (ClickHouse) leave them
 * out.
 */
class SelectHintsSamplingTest {
  private static final long[] STEPS_MS = {1_000, 10_000, 97_000, 600_000};

  @Test
  void answersAreTheSameFromTheSamplesTheHintsName() throws Exception {
    long end = (System.currentTimeMillis() / 60_000) * 60_000 - 60_000;
    DemoDataset data = new DemoDataset(end);
    Engine engine = new Engine();
    InMemoryQuerier all = new InMemoryQuerier(data.allSeries());
    SamplingQuerier sampled = new SamplingQuerier(all);
    long queryEnd = data.end - 12 * 60_000;

    List<ComplianceQueries.Query> queries = new ArrayList<>(ComplianceQueries.templates());
    queries.addAll(ComplianceQueries.extras());
    int compared = 0;
    for (ComplianceQueries.Query q : queries) {
      for (long step : STEPS_MS) {
        // An hour at most, and a range that the long steps do not divide.
        long start = queryEnd - Math.min(3600_000, 100 * step) - 7_000;
        assertThat(answer(() -> engine.rangeQuery(sampled, q.text(), start, queryEnd, step)))
            .as("%s at a %d ms step", q.text(), step)
            .isEqualTo(answer(() -> engine.rangeQuery(all, q.text(), start, queryEnd, step)));
        compared++;
      }
      assertThat(answer(() -> engine.instantQuery(sampled, q.text(), queryEnd)))
          .as("instant %s", q.text())
          .isEqualTo(answer(() -> engine.instantQuery(all, q.text(), queryEnd)));
      compared++;
    }
    assertThat(compared).isGreaterThan(1000);
    assertThat(sampled.leftOut).as("samples left out").isGreaterThan(sampled.kept);
  }

  /** A result written out exactly (values by their bits), or the error. */
  private static String answer(java.util.function.Supplier<QueryResult> query) {
    QueryResult result;
    try {
      result = query.get();
    } catch (PromQLException e) {
      return "error " + e.getMessage();
    }
    StringBuilder out = new StringBuilder();
    switch (result) {
      case QueryResult.Scalar s -> sample(out, "scalar", s.timestampMs(), s.value());
      case QueryResult.Str s -> out.append(s.timestampMs()).append(' ').append(s.value());
      case QueryResult.Vector v -> {
        for (QueryResult.Sample s : v.samples()) {
          sample(out, s.labels().toString(), s.timestampMs(), s.value());
        }
      }
      case QueryResult.Matrix m -> {
        for (QueryResult.SeriesPoints s : m.series()) {
          out.append(s.labels()).append(':');
          for (int i = 0; i < s.timestampsMs().length; i++) {
            sample(out, "", s.timestampsMs()[i], s.values()[i]);
          }
          out.append('\n');
        }
      }
    }
    return out.toString();
  }

  private static void sample(StringBuilder out, String labels, long ms, double value) {
    out.append(labels)
        .append(' ')
        .append(ms)
        .append('=')
        .append(Long.toHexString(Double.doubleToRawLongBits(value)))
        .append(';');
  }

  /** Returns of each selected series only the samples its hints' sampling needs. */
  private static final class SamplingQuerier implements Querier {
    private final Querier all;
    long kept;
    long leftOut;

    SamplingQuerier(Querier all) {
      this.all = all;
    }

    @Override
    public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
      StepSampling sampling = hints.sampling();
      List<Series> out = new ArrayList<>();
      try (SeriesSet set = all.select(hints, matchers)) {
        while (set.hasNext()) {
          Series s = set.next();
          List<MetricPoint> points = new ArrayList<>(s.size());
          for (int i = 0; i < s.size(); i++) {
            points.add(new NumberPoint(0, s.timestamps()[i] * 1_000_000L, s.values()[i]));
          }
          List<MetricPoint> needed = sampling.needed(points);
          kept += needed.size();
          leftOut += points.size() - needed.size();
          if (needed.isEmpty()) {
            continue;
          }
          long[] ts = new long[needed.size()];
          double[] values = new double[needed.size()];
          for (int i = 0; i < ts.length; i++) {
            ts[i] = needed.get(i).timeUnixNanos() / 1_000_000L;
            values[i] = ((NumberPoint) needed.get(i)).value();
          }
          out.add(Series.of(s.labels(), ts, values));
        }
      }
      return SeriesSet.of(out);
    }
  }
}
