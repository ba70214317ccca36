package dev.sextant.storage.query;

import dev.sextant.model.MetricPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Which points of a series of numbers a PromQL selector can use, so that a store may leave the
 * others out of a {@link dev.sextant.storage.MetricStore#seriesPoints} read (ADR 0018). Times are
 * Unix milliseconds, the engine's resolution: a point's millisecond is its time in nanoseconds
 * divided by 10^6, rounded down, and of several points in one millisecond the engine keeps the
 * last.
 *
 * <p>The selector reads at step times {@code lastMs - k * stepMs} for k = 0, 1, … (one step, at
 * {@code lastMs}, when {@code stepMs} is 0), and at each step it uses points no older than {@code
 * windowMs}: a range selector every point of {@code [t - windowMs, t]}, an instant selector ({@code
 * latestOnly}, window = lookback delta) only the newest point at or before {@code t}. The newest
 * point at or before a step time is always the newest of its step interval {@code (t - stepMs, t]}
 * (or of an earlier interval, whose newest it then is), so of an instant selector's points only
 * each interval's newest is ever used.
 *
 * <p>It applies to series of numbers (gauges, counters, untyped) only: a histogram's or summary's
 * point becomes several float series whose newest samples need not come from the same point (a
 * missing sum, changing bounds), so their points are always read whole. Leaving points out is
 * optional; {@link #needed} is the reference of what a store must keep.
 */
public record StepSampling(long lastMs, long stepMs, long windowMs, boolean latestOnly) {
  /** Every point: no selector semantics to exploit (label reads, direct point reads). */
  public static final StepSampling ALL = new StepSampling(Long.MAX_VALUE, 0, Long.MAX_VALUE, false);

  public StepSampling {
    if (stepMs < 0 || windowMs < 0) {
      throw new IllegalArgumentException("step and window must not be negative");
    }
  }

  /** An instant selector's reads: each step's newest point within the lookback delta. */
  public static StepSampling latest(long lastMs, long stepMs, long lookbackMs) {
    return new StepSampling(lastMs, stepMs, lookbackMs, true);
  }

  /** A range selector's reads: every point within the range before a step time. */
  public static StepSampling windows(long lastMs, long stepMs, long rangeMs) {
    return new StepSampling(lastMs, stepMs, rangeMs, false);
  }

  /** Whether every point is needed. */
  public boolean all() {
    return !latestOnly && (windowMs == Long.MAX_VALUE || (stepMs > 0 && stepMs <= windowMs + 1));
  }

  /**
   * How long before the step time at or after it a point at {@code ms} lies: {@code (lastMs - ms)
   * mod stepMs}, or {@code lastMs - ms} with one step. A point further than the window from it is
   * used by no step. Negative for a point after the last step.
   */
  public long sinceStep(long ms) {
    long before = lastMs - ms;
    return stepMs == 0 || before < 0 ? before : before % stepMs;
  }

  /** The step interval a point at {@code ms} lies in, counted back from the last step. */
  public long interval(long ms) {
    return stepMs == 0 ? 0 : Math.floorDiv(lastMs - ms, stepMs);
  }

  /**
   * The points (of one series of numbers, oldest first) that the selector can use: those within the
   * window before a step time, and with {@code latestOnly} of those only the newest of each step
   * interval. The reference for stores that leave points out; a store may return more.
   */
  public List<MetricPoint> needed(List<MetricPoint> points) {
    if (all()) {
      return points;
    }
    List<MetricPoint> kept = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      long ms = millis(points.get(i));
      long since = sinceStep(ms);
      if (since < 0 || since > windowMs) {
        continue;
      }
      if (latestOnly
          && i + 1 < points.size()
          && millis(points.get(i + 1)) <= lastMs
          && interval(millis(points.get(i + 1))) == interval(ms)) {
        continue; // a newer point of the same interval is the one used
      }
      kept.add(points.get(i));
    }
    return kept;
  }

  private static long millis(MetricPoint p) {
    return Math.floorDiv(p.timeUnixNanos(), 1_000_000L);
  }
}
