package dev.sextant.storage.testkit;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.ExponentialHistogramPoint.Buckets;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricType;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random samples of every point kind with the features that break careless storage and
 * rollups: counter resets and restarts, NaN payloads, Prometheus stale markers, -0.0 and ±Inf in
 * gauges, histograms whose bounds change, exponential histograms whose scale and zero threshold
 * change, negative buckets, summaries with quantiles. Times step by about {@code stepNanos} with
 * jitter, strictly increasing.
 */
public final class RandomSamples {
  public static final double STALE_MARKER = Double.longBitsToDouble(0x7ff0000000000002L);

  private final SplittableRandom random;

  public RandomSamples(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** {@code count} samples of a series of the type, from {@code firstTime} on. */
  public List<MetricPoint> series(MetricType type, long firstTime, long stepNanos, int count) {
    List<MetricPoint> points = new ArrayList<>(count);
    long time = firstTime;
    State state = new State(firstTime - stepNanos * 7);
    for (int i = 0; i < count; i++) {
      points.add(next(type, state, time));
      time += Math.max(1, stepNanos + random.nextLong(-stepNanos / 4, stepNanos / 4 + 1));
    }
    return points;
  }

  /** What a cumulative series carries from one sample to the next. */
  private static final class State {
    long start;
    double value;
    double sum;
    long[] counts = new long[0];
    double[] bounds = {0.1, 1, 10};
    int scale = 3;
    double zeroThreshold;
    long zeroCount;
    long[] positive = new long[0];
    long[] negative = new long[0];
    int offset;
    long count;

    State(long start) {
      this.start = start;
    }
  }

  private MetricPoint next(MetricType type, State state, long time) {
    boolean reset = random.nextInt(40) == 0;
    if (reset) {
      state.start = random.nextBoolean() ? time - 1 : state.start;
      state.value = 0;
      state.sum = 0;
      state.count = 0;
      state.zeroCount = 0;
      state.counts = new long[state.counts.length];
      state.positive = new long[state.positive.length];
      state.negative = new long[state.negative.length];
    }
    return switch (type) {
      case COUNTER -> counter(state, time);
      case UP_DOWN_COUNTER -> {
        state.value += random.nextInt(-5, 6);
        yield new NumberPoint(state.start, time, state.value);
      }
      case GAUGE, UNKNOWN -> new NumberPoint(0, time, gaugeValue());
      case HISTOGRAM -> histogram(state, time);
      case EXPONENTIAL_HISTOGRAM -> exponential(state, time);
      case SUMMARY -> summary(state, time);
    };
  }

  private NumberPoint counter(State state, long time) {
    state.value += random.nextInt(4) == 0 ? 0 : random.nextInt(1, 100) * 0.25;
    return new NumberPoint(random.nextInt(10) == 0 ? 0 : state.start, time, state.value);
  }

  private double gaugeValue() {
    return switch (random.nextInt(30)) {
      case 0 -> Double.POSITIVE_INFINITY;
      case 1 -> Double.NEGATIVE_INFINITY;
      case 2 -> -0.0;
      case 3 -> Double.longBitsToDouble(0x7ff8000000000000L | random.nextLong(1, 1L << 40));
      case 4 -> STALE_MARKER;
      case 5 -> Double.MIN_VALUE;
      default -> random.nextDouble(-1e6, 1e6);
    };
  }

  private HistogramPoint histogram(State state, long time) {
    if (random.nextInt(60) == 0) {
      // New bounds: a reset by definition, the counts start over.
      state.bounds = random.nextBoolean() ? new double[] {0.5, 1, 5, 10} : new double[] {1};
      state.counts = new long[0];
      state.sum = 0;
    }
    if (state.counts.length != state.bounds.length + 1) {
      state.counts = new long[state.bounds.length + 1];
    }
    long count = 0;
    for (int i = 0; i < state.counts.length; i++) {
      state.counts[i] += random.nextInt(3) == 0 ? 0 : random.nextInt(5);
      count += state.counts[i];
    }
    state.sum += random.nextDouble() * 10;
    return new HistogramPoint(
        state.start,
        time,
        count,
        state.sum,
        random.nextBoolean() ? Double.NaN : 0.001,
        random.nextBoolean() ? Double.NaN : 99.5,
        state.bounds,
        state.counts);
  }

  private ExponentialHistogramPoint exponential(State state, long time) {
    if (random.nextInt(25) == 0) {
      // The SDK lowers its scale when values spread (a merge of buckets), rarely raises it.
      int change = random.nextInt(5) == 0 ? 1 : -random.nextInt(1, 3);
      int scale =
          Math.clamp(
              (long) state.scale + change,
              ExponentialHistogramPoint.MIN_SCALE,
              ExponentialHistogramPoint.MAX_SCALE);
      state.positive = rescale(state.positive, state.offset, state.scale, scale);
      state.negative = rescale(state.negative, state.offset, state.scale, scale);
      state.offset = state.offset >> Math.max(0, state.scale - scale);
      state.scale = scale;
    }
    if (random.nextInt(50) == 0) {
      state.zeroThreshold = random.nextBoolean() ? 0 : random.nextDouble() * 2;
    }
    if (state.positive.length == 0) {
      state.offset = random.nextInt(-20, 20);
      state.positive = new long[random.nextInt(0, 6)];
      state.negative = new long[random.nextInt(0, 4)];
    }
    for (int i = 0; i < state.positive.length; i++) {
      state.positive[i] += random.nextInt(4) == 0 ? 0 : random.nextInt(3);
    }
    for (int i = 0; i < state.negative.length; i++) {
      state.negative[i] += random.nextInt(3);
    }
    state.zeroCount += random.nextInt(2);
    state.sum += random.nextDouble() * 4 - 1;
    long count = state.zeroCount + total(state.positive) + total(state.negative);
    return new ExponentialHistogramPoint(
        state.start,
        time,
        count,
        state.sum,
        Double.NaN,
        random.nextBoolean() ? Double.NaN : 12.5,
        state.scale,
        state.zeroCount,
        state.zeroThreshold,
        new Buckets(state.offset, state.positive),
        new Buckets(state.offset, state.negative));
  }

  /** Counts at scale {@code to}, from {@code from}, the first bucket at index {@code offset}. */
  private static long[] rescale(long[] counts, int offset, int from, int to) {
    if (to >= from || counts.length == 0) {
      return counts.clone();
    }
    int shift = from - to;
    int first = offset >> shift;
    int last = (offset + counts.length - 1) >> shift;
    long[] merged = new long[last - first + 1];
    for (int i = 0; i < counts.length; i++) {
      merged[((offset + i) >> shift) - first] += counts[i];
    }
    return merged;
  }

  private static long total(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  private SummaryPoint summary(State state, long time) {
    state.count += random.nextInt(0, 20);
    state.sum += random.nextDouble() * 30;
    List<SummaryPoint.Quantile> quantiles =
        random.nextInt(5) == 0
            ? List.of()
            : List.of(
                new SummaryPoint.Quantile(0.5, random.nextDouble()),
                new SummaryPoint.Quantile(0.99, random.nextBoolean() ? Double.NaN : 3.5));
    return new SummaryPoint(state.start, time, state.count, state.sum, quantiles);
  }
}
