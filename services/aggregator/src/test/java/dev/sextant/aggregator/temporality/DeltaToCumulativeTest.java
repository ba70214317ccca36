package dev.sextant.aggregator.temporality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.aggregator.temporality.DeltaToCumulative.Delta;
import dev.sextant.aggregator.temporality.DeltaToCumulative.Outcome;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class DeltaToCumulativeTest {
  private static final long S = 1_000_000_000L;
  private static final MetricSeries TOKENS = series("tokens", "model", "a");
  private static final MetricSeries OTHER = series("tokens", "model", "b");

  private final java.util.concurrent.atomic.AtomicLong clock =
      new java.util.concurrent.atomic.AtomicLong();

  /** A store of latest points, as the metric store answers {@code latestPoints}. */
  private final Map<Long, MetricPoint> stored = new HashMap<>();

  private final List<Collection<Long>> reads = new ArrayList<>();
  private final BiFunction<String, Collection<Long>, Uni<Map<Long, MetricPoint>>> latest =
      (tenant, ids) -> {
        reads.add(List.copyOf(ids));
        Map<Long, MetricPoint> found = new HashMap<>();
        for (Long id : ids) {
          if (stored.containsKey(id)) {
            found.put(id, stored.get(id));
          }
        }
        return Uni.createFrom().item(found);
      };

  private static MetricSeries series(String name, String... labels) {
    return new MetricSeries(
        "acme", name, Labels.of(labels), MetricType.COUNTER, Temporality.CUMULATIVE, "1", "");
  }

  private static Delta delta(MetricSeries series, long start, long time, double value) {
    return new Delta(series, new NumberPoint(start, time, value), false);
  }

  /** Runs a batch whose write stores its points (or fails with {@code failure}). */
  private Outcome run(DeltaToCumulative d2c, RuntimeException failure, Delta... deltas) {
    Outcome[] seen = new Outcome[1];
    Uni<Void> result =
        d2c.run(
            List.of(deltas),
            latest,
            outcome -> {
              seen[0] = outcome;
              if (failure != null) {
                return Uni.createFrom().failure(failure);
              }
              for (MetricWrite write : outcome.writes()) {
                stored.put(write.series().id(), write.point());
              }
              return Uni.createFrom().voidItem();
            });
    try {
      result.await().atMost(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      if (e != failure) {
        throw e;
      }
    }
    return seen[0];
  }

  private Outcome run(DeltaToCumulative d2c, Delta... deltas) {
    return run(d2c, null, deltas);
  }

  private static List<MetricPoint> points(Outcome outcome) {
    return outcome.writes().stream().map(MetricWrite::point).toList();
  }

  @Test
  void deltasAddUpFromTheFirstStart() {
    DeltaToCumulative d2c = new DeltaToCumulative(100, 0, Long.MAX_VALUE, clock::get);

    Outcome first = run(d2c, delta(TOKENS, 1, 10 * S, 5), delta(TOKENS, 10 * S, 20 * S, 3));
    Outcome second = run(d2c, delta(TOKENS, 20 * S, 30 * S, 2));

    assertThat(points(first))
        .containsExactly(new NumberPoint(1, 10 * S, 5), new NumberPoint(1, 20 * S, 8));
    assertThat(points(second)).containsExactly(new NumberPoint(1, 30 * S, 10));
  }

  @Test
  void aRetriedDeltaIsCountedOnce() {
    DeltaToCumulative d2c = new DeltaToCumulative(100, 0, Long.MAX_VALUE, clock::get);
    run(d2c, delta(TOKENS, 1, 10 * S, 5));

    Outcome retry = run(d2c, delta(TOKENS, 1, 10 * S, 5));

    assertThat(retry.writes()).isEmpty();
    assertThat(retry.duplicates()).isEqualTo(1);
    assertThat(stored.get(TOKENS.id())).isEqualTo(new NumberPoint(1, 10 * S, 5));
  }

  @Test
  void aSlightlyLateDeltaIsAddedAtTheSumsTimeAndAVeryLateOneIsRefused() {
    DeltaToCumulative d2c = new DeltaToCumulative(100, 5 * S, Long.MAX_VALUE, clock::get);
    run(d2c, delta(TOKENS, 1, 10 * S, 5));

    Outcome late = run(d2c, delta(TOKENS, 1, 7 * S, 1));
    Outcome tooLate = run(d2c, delta(TOKENS, 1, 2 * S, 1));

    assertThat(points(late)).containsExactly(new NumberPoint(1, 10 * S, 6));
    assertThat(tooLate.writes()).isEmpty();
    assertThat(tooLate.outOfOrder()).hasSize(1);
  }

  @Test
  void afterARestartTheSumContinuesFromTheStore() {
    stored.put(TOKENS.id(), new NumberPoint(1, 10 * S, 42));
    DeltaToCumulative fresh = new DeltaToCumulative(100, 0, Long.MAX_VALUE, clock::get);

    Outcome outcome = run(fresh, delta(TOKENS, 10 * S, 20 * S, 8));

    assertThat(points(outcome)).containsExactly(new NumberPoint(1, 20 * S, 50));
    assertThat(reads).containsExactly(List.of(TOKENS.id()));
  }

  @Test
  void aFailedWriteCountsNothingAndItsRetryCountsOnce() {
    DeltaToCumulative d2c = new DeltaToCumulative(100, 0, Long.MAX_VALUE, clock::get);
    run(d2c, delta(TOKENS, 1, 10 * S, 5));

    run(
        d2c,
        new StorageException(StorageException.Code.UNAVAILABLE, "down"),
        delta(TOKENS, 10 * S, 20 * S, 3));
    Outcome retry = run(d2c, delta(TOKENS, 10 * S, 20 * S, 3));

    assertThat(points(retry)).containsExactly(new NumberPoint(1, 20 * S, 8));
  }

  @Test
  void aBatchWaitsForTheEarlierBatchOfItsSeriesAndOthersDoNot() {
    DeltaToCumulative d2c = new DeltaToCumulative(100, 0, Long.MAX_VALUE, clock::get);
    CompletableFuture<Void> firstCommit = new CompletableFuture<>();
    List<MetricWrite> written = new ArrayList<>();
    Uni<Void> first =
        d2c.run(
            List.of(delta(TOKENS, 1, 10 * S, 5)),
            latest,
            outcome ->
                Uni.createFrom()
                    .completionStage(firstCommit)
                    .invoke(() -> written.addAll(outcome.writes())));
    CompletableFuture<Void> firstDone = first.subscribeAsCompletionStage();
    CompletableFuture<Void> second =
        d2c.run(
                List.of(delta(TOKENS, 10 * S, 20 * S, 3)),
                latest,
                outcome ->
                    Uni.createFrom().voidItem().invoke(() -> written.addAll(outcome.writes())))
            .subscribeAsCompletionStage();
    CompletableFuture<Void> unrelated =
        d2c.run(List.of(delta(OTHER, 1, 10 * S, 1)), latest, outcome -> Uni.createFrom().voidItem())
            .subscribeAsCompletionStage();

    assertThat(unrelated).isCompleted();
    assertThat(second).isNotDone();
    firstCommit.complete(null);

    assertThat(firstDone).isCompleted();
    assertThat(second).isCompleted();
    assertThat(written)
        .extracting(MetricWrite::point)
        .containsExactly(new NumberPoint(1, 10 * S, 5), new NumberPoint(1, 20 * S, 8));
  }

  @Test
  void additiveDeltasAtOneTimeAddUp() {
    DeltaToCumulative d2c = new DeltaToCumulative(100, 0, Long.MAX_VALUE, clock::get);

    Outcome outcome =
        run(
            d2c,
            new Delta(TOKENS, new NumberPoint(1, 10 * S, 2), true),
            new Delta(TOKENS, new NumberPoint(1, 10 * S, 3), true));

    assertThat(stored.get(TOKENS.id())).isEqualTo(new NumberPoint(1, 10 * S, 5));
    assertThat(outcome.duplicates()).isZero();
  }

  @Test
  void sumsBeyondTheBoundAreDroppedAndReadBackWhenNeeded() {
    DeltaToCumulative d2c = new DeltaToCumulative(1, 0, Long.MAX_VALUE, clock::get);
    run(d2c, delta(TOKENS, 1, 10 * S, 5));
    run(d2c, delta(OTHER, 1, 10 * S, 1));
    assertThat(d2c.size()).isEqualTo(1);
    reads.clear();

    Outcome outcome = run(d2c, delta(TOKENS, 10 * S, 20 * S, 1));

    assertThat(reads).containsExactly(List.of(TOKENS.id()));
    assertThat(points(outcome)).containsExactly(new NumberPoint(1, 20 * S, 6));
  }

  @Test
  void sumsOfSeriesThatStoppedAppearingLeaveMemory() {
    DeltaToCumulative d2c = new DeltaToCumulative(100, 0, 60 * S, clock::get);
    run(d2c, delta(TOKENS, 1, 10 * S, 5));
    clock.set(30 * S);
    run(d2c, delta(OTHER, 1, 10 * S, 1));
    clock.set(70 * S);
    run(d2c, delta(OTHER, 10 * S, 20 * S, 1));

    assertThat(d2c.size()).isEqualTo(1);
    reads.clear();
    Outcome back = run(d2c, delta(TOKENS, 10 * S, 20 * S, 2));
    assertThat(reads).containsExactly(List.of(TOKENS.id()));
    assertThat(points(back)).containsExactly(new NumberPoint(1, 20 * S, 7));
  }
}
