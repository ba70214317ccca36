package dev.sextant.storage.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link StepSampling#needed} leaves out only points a selector never uses: what each step sees
 * ({@link StepView}) is the same from the needed points as from all of them, on random series with
 * several points in one millisecond, stale markers and long gaps, for instant and range selectors
 * of many steps, windows and end times.
 */
class StepSamplingTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_767_225_600_000L;

  @Test
  void stepsSeeTheSameFromTheNeededPointsAsFromAll() {
    Random random = new Random(7);
    int leftOut = 0;
    for (int round = 0; round < 400; round++) {
      List<MetricPoint> points = randomSeries(random);
      long step = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(240_000);
      long window = 1 + random.nextInt(400_000);
      long last = T0 + random.nextInt(3_600_000);
      int steps = step == 0 ? 1 : 1 + random.nextInt(60);
      for (StepSampling sampling :
          List.of(
              StepSampling.latest(last, step, window), StepSampling.windows(last, step, window))) {
        List<MetricPoint> needed = sampling.needed(points);
        assertThat(points).containsAll(needed);
        leftOut += points.size() - needed.size();
        for (int k = 0; k < steps; k++) {
          long t = last - k * step;
          assertThat(StepView.at(needed, sampling, t))
              .as("round %d, %s, step at %d", round, sampling, t)
              .isEqualTo(StepView.at(points, sampling, t));
        }
      }
    }
    assertThat(leftOut).as("points left out over all rounds").isGreaterThan(10_000);
  }

  @Test
  void anInstantSelectorNeedsEachIntervalsNewestPointOnly() {
    // Points every 15 s, steps every 60 s ending at 300 s, lookback 5 min.
    List<MetricPoint> points = new ArrayList<>();
    for (int s = 0; s <= 300; s += 15) {
      points.add(point((T0 + s * 1000L) * MS, s));
    }
    StepSampling sampling = StepSampling.latest(T0 + 300_000, 60_000, 300_000);
    assertThat(sampling.needed(points))
        .extracting(p -> ((NumberPoint) p).value())
        .containsExactly(0.0, 60.0, 120.0, 180.0, 240.0, 300.0);
    // One step: the newest point only.
    assertThat(StepSampling.latest(T0 + 200_000, 0, 300_000).needed(points))
        .extracting(p -> ((NumberPoint) p).value())
        .containsExactly(195.0);
  }

  @Test
  void ofPointsInOneMillisecondTheLastIsKept() {
    List<MetricPoint> points =
        List.of(point(T0 * MS + 1, 1), point(T0 * MS + 900_000, 2), point((T0 + 1) * MS, 3));
    assertThat(StepSampling.latest(T0, 0, 1000).needed(points)).containsExactly(points.get(1));
  }

  @Test
  void aRangeSelectorNeedsThePointsInsideItsWindows() {
    List<MetricPoint> points = new ArrayList<>();
    for (int s = 0; s <= 300; s += 10) {
      points.add(point((T0 + s * 1000L) * MS, s));
    }
    // Windows of 20 s (inclusive) before 300 s, 200 s, 100 s and 0 s.
    assertThat(StepSampling.windows(T0 + 300_000, 100_000, 20_000).needed(points))
        .extracting(p -> ((NumberPoint) p).value())
        .containsExactly(0.0, 80.0, 90.0, 100.0, 180.0, 190.0, 200.0, 280.0, 290.0, 300.0);
    // Windows as long as the step leave nothing out.
    StepSampling overlapping = StepSampling.windows(T0 + 300_000, 60_000, 60_000);
    assertThat(overlapping.all()).isTrue();
    assertThat(overlapping.needed(points)).isEqualTo(points);
    assertThat(StepSampling.ALL.needed(points)).isEqualTo(points);
  }

  @Test
  void negativeStepsOrWindowsAreRefused() {
    assertThatThrownBy(() -> StepSampling.latest(T0, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StepSampling.windows(T0, 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Irregular points around T0: bursts within one millisecond, gaps, stale markers. */
  static List<MetricPoint> randomSeries(Random random) {
    List<MetricPoint> points = new ArrayList<>();
    long nanos = (T0 - 600_000) * MS;
    int n = random.nextInt(200);
    for (int i = 0; i < n; i++) {
      nanos +=
          switch (random.nextInt(10)) {
            case 0 -> 1 + random.nextInt(999_999); // often the same millisecond
            case 1 -> 600_000 * MS; // a gap longer than most windows
            default -> (1 + random.nextInt(30_000)) * MS + random.nextInt(1_000_000);
          };
      double value =
          random.nextInt(20) == 0
              ? Double.longBitsToDouble(0x7ff0000000000002L)
              : random.nextInt(1000);
      points.add(point(nanos, value));
    }
    return points;
  }

  private static MetricPoint point(long nanos, double value) {
    return new NumberPoint(0, nanos, value);
  }

  /**
   * What a PromQL selector sees at one step, as the engine sees a number series: points by
   * millisecond, the last of a millisecond kept; an instant selector the newest at or before the
   * step within the window (stale or not: the engine drops a stale one after picking it), a range
   * selector every one inside the window. Values by their bits.
   */
  record StepView(List<Long> millis, List<Long> bits) {
    static StepView at(List<MetricPoint> points, StepSampling sampling, long t) {
      List<Long> millis = new ArrayList<>();
      List<Long> bits = new ArrayList<>();
      for (MetricPoint p : points) {
        long ms = Math.floorDiv(p.timeUnixNanos(), MS);
        long b = Double.doubleToRawLongBits(((NumberPoint) p).value());
        if (ms > t) {
          break;
        }
        if (!millis.isEmpty() && millis.get(millis.size() - 1) == ms) {
          bits.set(bits.size() - 1, b);
          continue;
        }
        millis.add(ms);
        bits.add(b);
      }
      int from = 0;
      while (from < millis.size() && millis.get(from) < t - sampling.windowMs()) {
        from++;
      }
      if (sampling.latestOnly()) {
        from = Math.max(from, millis.size() - 1);
      }
      return new StepView(
          List.copyOf(millis.subList(from, millis.size())),
          List.copyOf(bits.subList(from, bits.size())));
    }
  }
}
