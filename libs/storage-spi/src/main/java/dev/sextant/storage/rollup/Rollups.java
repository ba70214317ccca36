package dev.sextant.storage.rollup;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.query.TimeRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The one definition of rollups: every backend computes or merges them with these functions, so the
 * math exists once. Pure functions, no state.
 *
 * <p>For a window W of a tier and a series' samples sorted by time, {@code count} is the number of
 * samples in W. Number series: {@code sum}, {@code min}, {@code max} (NaN ignored), the {@code
 * first} and {@code last} sample, and {@code increase} = Σ over samples p in W of inc(prev(p), p),
 * where prev(p) is the sample just before p in the series (possibly in an earlier window; none: the
 * term is 0) and inc(a, b) = b - a if b ≥ a and both share their start time (or either start is
 * unknown, 0), else b — a decrease is a counter reset, as Prometheus treats it. Explicit
 * histograms: the same for the count, the sum and every bucket (other bounds, or a count or bucket
 * that went down, is a reset), plus the last sample. Exponential histograms: the same, each pair
 * compared at the lower of their scales and the larger zero threshold, the increase kept at the
 * lowest scale and largest threshold seen; plus the last sample. Summaries: count and sum increases
 * and the last sample. Points of another kind than the previous sample reset the increase.
 *
 * <p>Prometheus stale markers (a NaN with bits {@code 0x7ff0000000000002}) are not samples: they
 * are skipped, and do not count as anyone's previous sample. Sums are {@link ExactSum}s, so {@link
 * #merge} of rollups gives bit for bit what {@link #compute} gives from the samples. A series is
 * expected to keep its point kind; in a window where it changes, the rollup covers the samples
 * after the change.
 */
public final class Rollups {

  /** The bits of Prometheus' stale marker, a NaN that says a series ended. */
  public static final long STALE_MARKER_BITS = 0x7ff0000000000002L;

  private Rollups() {}

  /** Whether the point is a Prometheus stale marker rather than a sample. */
  public static boolean isStaleMarker(MetricPoint point) {
    return point instanceof NumberPoint n
        && Double.doubleToRawLongBits(n.value()) == STALE_MARKER_BITS;
  }

  /**
   * The rollups of the windows that hold samples, oldest first.
   *
   * @param previous the series' latest sample before the first of {@code points}, or null
   * @param points samples of one series sorted by strictly increasing time
   */
  public static List<Rollup> compute(
      RollupTier tier, MetricPoint previous, List<? extends MetricPoint> points) {
    List<Rollup> rollups = new ArrayList<>();
    MetricPoint before = previous == null || isStaleMarker(previous) ? null : previous;
    Window window = null;
    long windowStart = 0;
    long lastTime = Long.MIN_VALUE;
    for (MetricPoint point : points) {
      if (point.timeUnixNanos() <= lastTime) {
        throw new IllegalArgumentException("points must be sorted by strictly increasing time");
      }
      lastTime = point.timeUnixNanos();
      if (isStaleMarker(point)) {
        continue;
      }
      long start = tier.windowStart(point.timeUnixNanos());
      if (window != null && start != windowStart) {
        rollups.add(window.toRollup(windowStart));
        window = null;
      }
      if (window == null || !Window.sameKind(window, point)) {
        window = Window.forPoint(point);
        windowStart = start;
      }
      window.add(before, point);
      before = point;
    }
    if (window != null) {
      rollups.add(window.toRollup(windowStart));
    }
    return rollups;
  }

  /**
   * The rollup of one window from two rollups of it, {@code later} covering samples after all of
   * {@code earlier}'s (the first of them has the last of earlier's as its previous sample).
   */
  public static Rollup combine(Rollup earlier, Rollup later) {
    if (earlier.windowStartUnixNanos() != later.windowStartUnixNanos()) {
      throw new IllegalArgumentException("rollups of different windows");
    }
    Window window = Window.of(earlier);
    if (!Window.sameKind(window, later)) {
      return later;
    }
    window.add(later);
    return window.toRollup(earlier.windowStartUnixNanos());
  }

  /**
   * Rollups of a tier from rollups of a finer (or the same) tier, consecutive and oldest first:
   * {@code merge(compute(ONE_MINUTE, p, points), ONE_HOUR)} equals {@code compute(ONE_HOUR, p,
   * points)}.
   */
  public static List<Rollup> merge(List<? extends Rollup> finer, RollupTier tier) {
    return merge(finer, tier.nanos());
  }

  /**
   * As {@link #merge(List, RollupTier)} into windows of any length aligned to the Unix epoch (the
   * query service's 5- and 15-minute and one-day buckets); the length must be a multiple of the
   * finer windows' length for the result to be exact.
   */
  public static List<Rollup> merge(List<? extends Rollup> finer, long windowNanos) {
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("window length must be positive");
    }
    List<Rollup> merged = new ArrayList<>();
    Window window = null;
    long windowStart = 0;
    long lastStart = Long.MIN_VALUE;
    for (Rollup rollup : finer) {
      if (rollup.windowStartUnixNanos() <= lastStart) {
        throw new IllegalArgumentException("rollups must be sorted by window, one per window");
      }
      lastStart = rollup.windowStartUnixNanos();
      long start = rollup.windowStartUnixNanos() - Math.floorMod(lastStart, windowNanos);
      if (window != null && start != windowStart) {
        merged.add(window.toRollup(windowStart));
        window = null;
      }
      if (window == null || !Window.sameKind(window, rollup)) {
        window = Window.of(rollup);
        windowStart = start;
      } else {
        window.add(rollup);
      }
    }
    if (window != null) {
      merged.add(window.toRollup(windowStart));
    }
    return merged;
  }

  /**
   * One rollup of several series' rollups of the same window, as if their samples were one series'
   * increments: counts, sums, increases and histogram buckets add up, extremes are the extremes.
   * (Its first and last samples are one series' and mean little; callers that want the series'
   * latest values add them up themselves.) Rollups of another kind than the first are left out.
   */
  public static Rollup acrossSeries(List<? extends Rollup> sameWindow) {
    if (sameWindow.isEmpty()) {
      throw new IllegalArgumentException("no rollups");
    }
    long start = sameWindow.getFirst().windowStartUnixNanos();
    Window window = Window.of(sameWindow.getFirst());
    for (Rollup rollup : sameWindow.subList(1, sameWindow.size())) {
      if (rollup.windowStartUnixNanos() != start) {
        throw new IllegalArgumentException("rollups of different windows");
      }
      if (Window.sameKind(window, rollup)) {
        window.add(rollup);
      }
    }
    return window.toRollup(start);
  }

  /**
   * The times of the samples that fall in the tier's windows starting in {@code windows}: from the
   * first window start at or after its start to the end of the last window starting before its end
   * (an empty range when no window starts in it).
   */
  public static TimeRange sampleTimes(RollupTier tier, TimeRange windows) {
    long from = tier.firstWindowFrom(windows.startUnixNanos());
    if (from >= windows.endUnixNanos()) {
      return new TimeRange(from, from);
    }
    long lastStart = tier.windowStart(windows.endUnixNanos() - 1);
    long to = lastStart > Long.MAX_VALUE - tier.nanos() ? Long.MAX_VALUE : lastStart + tier.nanos();
    return new TimeRange(from, to);
  }
}
