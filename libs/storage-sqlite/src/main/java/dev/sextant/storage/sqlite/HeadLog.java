package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import java.util.Arrays;

/**
 * The head's points in arrival order, as columns shared by every series: about 36 bytes a number
 * point and no object per point or per series, and a flush reads them sequentially. A flush groups
 * them by series with a counting sort.
 */
final class HeadLog {
  private int[] series;
  private long[] times;
  private long[] starts;
  private double[] values;
  private long[] walIds;

  /** Null, or the point at each index that is not a number point. */
  private MetricPoint[] others;

  private int size;

  HeadLog(int capacity) {
    int n = Math.max(16, capacity);
    series = new int[n];
    times = new long[n];
    starts = new long[n];
    values = new double[n];
    walIds = new long[n];
  }

  int size() {
    return size;
  }

  /** The newest point of each series index asked for that has points here. */
  java.util.Map<SeriesKey, MetricPoint> newest(java.util.Map<Integer, SeriesKey> wanted) {
    java.util.Map<SeriesKey, Integer> best = new java.util.HashMap<>();
    for (int i = 0; i < size; i++) {
      SeriesKey key = wanted.get(series[i]);
      if (key != null) {
        Integer current = best.get(key);
        // Later in the log wins at the same time: it is the later write.
        if (current == null || times[i] >= times[current]) {
          best.put(key, i);
        }
      }
    }
    java.util.Map<SeriesKey, MetricPoint> newest = new java.util.HashMap<>();
    best.forEach((key, i) -> newest.put(key, point(i)));
    return newest;
  }

  private MetricPoint point(int i) {
    MetricPoint object = others == null ? null : others[i];
    return object != null ? object : new NumberPoint(starts[i], times[i], values[i]);
  }

  /** Drops the points from index {@code size} on. */
  void truncate(int newSize) {
    size = Math.min(size, newSize);
  }

  void add(int seriesIndex, MetricPoint point, long walId) {
    if (size == times.length) {
      grow(size * 2);
    }
    series[size] = seriesIndex;
    times[size] = point.timeUnixNanos();
    starts[size] = point.startTimeUnixNanos();
    walIds[size] = walId;
    if (point instanceof NumberPoint n) {
      values[size] = n.value();
      if (others != null) {
        others[size] = null;
      }
    } else {
      if (others == null) {
        others = new MetricPoint[times.length];
      }
      others[size] = point;
    }
    size++;
  }

  private void add(HeadLog from, int i) {
    if (size == times.length) {
      grow(size * 2);
    }
    series[size] = from.series[i];
    times[size] = from.times[i];
    starts[size] = from.starts[i];
    walIds[size] = from.walIds[i];
    values[size] = from.values[i];
    MetricPoint object = from.others == null ? null : from.others[i];
    if (object != null && others == null) {
      others = new MetricPoint[times.length];
    }
    if (others != null) {
      others[size] = object;
    }
    size++;
  }

  private void grow(int capacity) {
    series = Arrays.copyOf(series, capacity);
    times = Arrays.copyOf(times, capacity);
    starts = Arrays.copyOf(starts, capacity);
    values = Arrays.copyOf(values, capacity);
    walIds = Arrays.copyOf(walIds, capacity);
    if (others != null) {
      others = Arrays.copyOf(others, capacity);
    }
  }

  /** {@code older}'s points, then {@code newer}'s: a flush that failed gives its points back. */
  static HeadLog concat(HeadLog older, HeadLog newer) {
    HeadLog joined = new HeadLog(older.size + newer.size);
    for (int i = 0; i < older.size; i++) {
      joined.add(older, i);
    }
    for (int i = 0; i < newer.size; i++) {
      joined.add(newer, i);
    }
    return joined;
  }

  /** How many points each series index has here. */
  int[] counts(int seriesCount) {
    int[] counts = new int[seriesCount];
    for (int i = 0; i < size; i++) {
      counts[series[i]]++;
    }
    return counts;
  }

  /** The smallest and largest time here (size must be positive). */
  long[] timeBounds() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < size; i++) {
      min = Math.min(min, times[i]);
      max = Math.max(max, times[i]);
    }
    return new long[] {min, max};
  }

  /**
   * The points moved so each series' are together, in the order of {@code rank} (a series' place by
   * chunk row), each series' in arrival order: a counting sort, after which a flush reads every
   * series' points from consecutive memory, series after series.
   */
  BySeries bySeries(int[] counts, int[] rank, int ranked) {
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
    PointColumns sorted = new PointColumns(size);
    long[] sortedWalIds = new long[size];
    if (others != null) {
      sorted.others = new MetricPoint[sorted.times.length];
    }
    for (int i = 0; i < size; i++) {
      int j = next[rank[series[i]]]++;
      sorted.times[j] = times[i];
      sorted.starts[j] = starts[i];
      sorted.values[j] = values[i];
      sortedWalIds[j] = walIds[i];
      if (others != null) {
        sorted.others[j] = others[i];
      }
    }
    sorted.size = size;
    return new BySeries(first, sorted, sortedWalIds);
  }

  /** Points by series: the series ranked r has {@code points[first[r]..first[r+1])}. */
  record BySeries(int[] first, PointColumns points, long[] walIds) {

    /**
     * The series' points sorted by time, a later log row's point replacing an earlier one's at the
     * same time: the range itself when already so (the common case), else a sorted copy in {@code
     * scratch}. Returns the columns to read and sets {@code range} to where in them.
     */
    PointColumns sorted(int series, PointColumns scratch, int[] range) {
      int from = first[series];
      int to = first[series + 1];
      long[] times = points.times;
      boolean ordered = true;
      for (int k = from + 1; k < to && ordered; k++) {
        ordered = times[k] > times[k - 1];
      }
      if (ordered) {
        range[0] = from;
        range[1] = to;
        return points;
      }
      // Arrival order is log order, so a stable sort by time keeps the later write last.
      Integer[] order = new Integer[to - from];
      for (int k = from; k < to; k++) {
        order[k - from] = k;
      }
      Arrays.sort(
          order,
          (a, b) -> {
            int byTime = Long.compare(times[a], times[b]);
            return byTime != 0 ? byTime : Long.compare(walIds[a], walIds[b]);
          });
      scratch.size = 0;
      for (int k = 0; k < order.length; k++) {
        boolean replaced = k + 1 < order.length && times[order[k + 1]] == times[order[k]];
        if (!replaced) {
          scratch.addAll(points, order[k], order[k] + 1);
        }
      }
      range[0] = 0;
      range[1] = scratch.size;
      return scratch;
    }
  }
}
