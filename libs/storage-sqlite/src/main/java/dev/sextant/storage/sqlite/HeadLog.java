package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The head's points in arrival order, as columns shared by every series (each point with its
 * series' head index and its log row's id): about 36 bytes a number point and no object per point
 * or per series, and a flush reads them sequentially. A flush groups them by series with a counting
 * sort.
 */
final class HeadLog {
  private final PointColumns points;
  private int[] series;
  private long[] walIds;

  HeadLog(int capacity) {
    points = new PointColumns(Math.max(16, capacity));
    series = new int[points.times.length];
    walIds = new long[points.times.length];
  }

  int size() {
    return points.size;
  }

  /** The points it holds before it must grow. */
  int capacity() {
    return points.times.length;
  }

  void add(int seriesIndex, MetricPoint point, long walId) {
    int i = points.size;
    points.add(point);
    fit();
    series[i] = seriesIndex;
    walIds[i] = walId;
  }

  /** Keeps the series and log id columns as long as the point columns. */
  private void fit() {
    if (series.length < points.times.length) {
      series = Arrays.copyOf(series, points.times.length);
      walIds = Arrays.copyOf(walIds, points.times.length);
    }
  }

  private void addAll(HeadLog from) {
    int at = points.size;
    points.addAll(from.points, 0, from.size());
    fit();
    System.arraycopy(from.series, 0, series, at, from.size());
    System.arraycopy(from.walIds, 0, walIds, at, from.size());
  }

  /** {@code older}'s points, then {@code newer}'s: a flush that failed gives its points back. */
  static HeadLog concat(HeadLog older, HeadLog newer) {
    HeadLog joined = new HeadLog(older.size() + newer.size());
    joined.addAll(older);
    joined.addAll(newer);
    return joined;
  }

  /** Drops every point, keeping the room. */
  void clear() {
    points.clear();
  }

  /** Drops the points from index {@code newSize} on. */
  void truncate(int newSize) {
    points.size = Math.min(points.size, newSize);
  }

  /** How many points each series index has here. */
  int[] counts(int seriesCount) {
    int[] counts = new int[seriesCount];
    for (int i = 0; i < points.size; i++) {
      counts[series[i]]++;
    }
    return counts;
  }

  /** The smallest and largest time here (size must be positive). */
  long[] timeBounds() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < points.size; i++) {
      min = Math.min(min, points.times[i]);
      max = Math.max(max, points.times[i]);
    }
    return new long[] {min, max};
  }

  /** The newest point of each series index asked for that has points here. */
  Map<SeriesKey, MetricPoint> newest(Map<Integer, SeriesKey> wanted) {
    Map<SeriesKey, Integer> best = new HashMap<>();
    for (int i = 0; i < points.size; i++) {
      SeriesKey key = wanted.get(series[i]);
      if (key != null) {
        Integer current = best.get(key);
        // Later in the log wins at the same time: it is the later write.
        if (current == null || points.times[i] >= points.times[current]) {
          best.put(key, i);
        }
      }
    }
    Map<SeriesKey, MetricPoint> newest = new HashMap<>();
    best.forEach((key, i) -> newest.put(key, points.get(i)));
    return newest;
  }

  /**
   * The points grouped by series, in the order of {@code rank} (a series' place by chunk row), each
   * series' in arrival order: a counting sort of their indexes into {@code order} (reused from
   * flush to flush; a copy of the columns took as much memory again as the head, for a flush
   * interval).
   */
  BySeries bySeries(int[] counts, int[] rank, int ranked, int[] order) {
    int size = points.size;
    int[] first = new int[ranked + 1];
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] > 0) {
        first[rank[s] + 1] = counts[s];
      }
    }
    for (int r = 0; r < ranked; r++) {
      first[r + 1] += first[r];
    }
    int[] next = Arrays.copyOf(first, ranked);
    for (int i = 0; i < size; i++) {
      order[next[rank[series[i]]]++] = i;
    }
    return new BySeries(first, order);
  }

  /** The series ranked r has the points at {@code order[first[r]..first[r+1])}, oldest first. */
  final class BySeries {
    private final int[] first;
    private final int[] order;

    private BySeries(int[] first, int[] order) {
      this.first = first;
      this.order = order;
    }

    /**
     * The points of the series ranked {@code r} sorted by time, a later log row's point replacing
     * an earlier one's at the same time, copied into {@code scratch}, which is returned; sets
     * {@code range} to where in it.
     */
    PointColumns sorted(int r, PointColumns scratch, int[] range) {
      int from = first[r];
      int to = first[r + 1];
      long[] times = points.times;
      boolean ordered = true;
      for (int k = from + 1; k < to && ordered; k++) {
        ordered = times[order[k]] > times[order[k - 1]];
      }
      scratch.clear();
      scratch.reserve(to - from);
      if (ordered) {
        for (int k = from; k < to; k++) {
          scratch.addAll(points, order[k], order[k] + 1);
        }
      } else {
        // Arrival order is log order, so a stable sort by time keeps the later write last.
        Integer[] byTime = new Integer[to - from];
        for (int k = from; k < to; k++) {
          byTime[k - from] = order[k];
        }
        Arrays.sort(
            byTime,
            (a, b) -> {
              int t = Long.compare(times[a], times[b]);
              return t != 0 ? t : Long.compare(walIds[a], walIds[b]);
            });
        for (int k = 0; k < byTime.length; k++) {
          boolean replaced = k + 1 < byTime.length && times[byTime[k + 1]] == times[byTime[k]];
          if (!replaced) {
            scratch.addAll(points, byTime[k], byTime[k] + 1);
          }
        }
      }
      range[0] = 0;
      range[1] = scratch.size;
      return scratch;
    }
  }
}
