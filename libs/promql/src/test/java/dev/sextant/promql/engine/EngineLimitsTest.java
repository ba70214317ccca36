package dev.sextant.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Labels;
import dev.sextant.promql.storage.InMemoryQuerier;
import dev.sextant.promql.storage.Querier;
import dev.sextant.promql.storage.SelectHints;
import dev.sextant.promql.storage.Series;
import dev.sextant.promql.storage.SeriesSet;
import dev.sextant.storage.query.LabelMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Query limits, error types and the hints the engine gives the querier. */
class EngineLimitsTest {
  private static final InMemoryQuerier DATA = new InMemoryQuerier(series(20, 1000));

  private static List<Series> series(int count, int samples) {
    List<Series> out = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      long[] ts = new long[samples];
      double[] vs = new double[samples];
      for (int i = 0; i < samples; i++) {
        ts[i] = i * 15_000L;
        vs[i] = i;
      }
      out.add(Series.of(Labels.of("__name__", "m", "i", Integer.toString(s)), ts, vs));
    }
    return out;
  }

  @Test
  void tooManySamples() {
    Engine engine = new Engine(EngineOptions.DEFAULTS.withMaxSamples(1000));
    assertThatThrownBy(() -> engine.rangeQuery(DATA, "sum(rate(m[1h]))", 0, 14_000_000, 15_000))
        .isInstanceOf(PromQLException.class)
        .hasMessage("query processing would load too many samples into memory in query execution")
        .extracting(e -> ((PromQLException) e).type())
        .isEqualTo(PromQLException.Type.TOO_MANY_SAMPLES);
  }

  @Test
  void timeout() {
    Engine engine = new Engine(EngineOptions.DEFAULTS.withTimeout(Duration.ZERO));
    assertThatThrownBy(() -> engine.instantQuery(DATA, "m", 60_000))
        .isInstanceOf(PromQLException.class)
        .hasMessage("query timed out in expression evaluation")
        .extracting(e -> ((PromQLException) e).type())
        .isEqualTo(PromQLException.Type.TIMEOUT);
  }

  @Test
  void theCheckpointRunsAtEveryDeadlineCheckAndWhatItThrowsStopsTheQueryAsItIs() {
    int[] runs = new int[1];
    Engine counting = new Engine(EngineOptions.DEFAULTS.withCheckpoint(() -> runs[0]++));
    counting.rangeQuery(DATA, "sum(rate(m[5m]))", 0, 600_000, 15_000);
    // At least once for each of the 20 series the range function reads.
    assertThat(runs[0]).isGreaterThanOrEqualTo(20);

    IllegalStateException stop = new IllegalStateException("moved elsewhere");
    int[] allowed = {5};
    Engine stopping =
        new Engine(
            EngineOptions.DEFAULTS.withCheckpoint(
                () -> {
                  if (--allowed[0] < 0) {
                    throw stop;
                  }
                }));
    assertThatThrownBy(() -> stopping.rangeQuery(DATA, "sum(rate(m[5m]))", 0, 600_000, 15_000))
        .isSameAs(stop);
  }

  @Test
  void interruptionCancels() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> new Engine().instantQuery(DATA, "m", 60_000))
          .hasMessage("query was canceled in expression evaluation");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void parseErrorsAreBadData() {
    assertThatThrownBy(() -> new Engine().instantQuery(DATA, "sum(", 0))
        .isInstanceOf(PromQLException.class)
        .hasMessage("1:5: parse error: unclosed left parenthesis")
        .extracting(e -> ((PromQLException) e).type())
        .isEqualTo(PromQLException.Type.BAD_DATA);
  }

  @Test
  void rangeQueriesNeedScalarsOrVectors() {
    assertThatThrownBy(() -> new Engine().rangeQuery(DATA, "m[5m]", 0, 60_000, 15_000))
        .hasMessage(
            "invalid expression type \"range vector\" for range query, must be Scalar or instant"
                + " Vector");
  }

  @Test
  void executionErrorsAreExecution() {
    assertThatThrownBy(() -> new Engine().instantQuery(DATA, "m * on() m", 60_000))
        .extracting(e -> ((PromQLException) e).type())
        .isEqualTo(PromQLException.Type.EXECUTION);
  }

  @Test
  void hintsCarryRangeStepLookbackFunctionAndGrouping() {
    List<SelectHints> seen = new ArrayList<>();
    Querier recording =
        new Querier() {
          @Override
          public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
            seen.add(hints);
            return DATA.select(hints, matchers);
          }
        };
    new Engine()
        .rangeQuery(recording, "sum by (i) (rate(m[5m] offset 1m)) + m", 600_000, 900_000, 30_000);
    assertThat(seen)
        .containsExactlyInAnyOrder(
            new SelectHints(240_000, 840_000, 30_000, 300_000, 0, "rate", List.of("i"), true),
            new SelectHints(300_000, 900_000, 30_000, 0, 300_000, null, List.of(), false));
  }
}
