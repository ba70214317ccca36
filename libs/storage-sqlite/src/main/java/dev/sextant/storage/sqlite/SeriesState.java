package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import java.util.Arrays;

/**
 * The writer's state of one series: its points since the last flush (the head), what its series row
 * holds, and its rollup frontier. Used by the writer thread only, except {@link #latest}.
 */
final class SeriesState {
  final SeriesKey key;

  /** The latest definition known, or null when only the series row has it. */
  MetricSeries definition;

  /** Whether the series row holds {@link #definition}'s metadata. */
  boolean definitionStored;

  /** Whether the row fields below reflect the series row (or its absence). */
  boolean rowLoaded;

  boolean rowExists;
  long firstTime;
  long lastTime;
  long lastBound;

  /** The newest sample rolled up so far, once {@link #frontierLoaded}; null: none. */
  MetricPoint frontier;

  boolean frontierLoaded;

  /** The newest point this process wrote or flushed, for {@code latestPoints}. */
  volatile MetricPoint latest;

  private MetricPoint[] points = new MetricPoint[4];
  private long[] walIds = new long[4];
  private int size;

  SeriesState(SeriesKey key) {
    this.key = key;
  }

  void append(MetricPoint point, long walId) {
    if (size == points.length) {
      points = Arrays.copyOf(points, size * 2);
      walIds = Arrays.copyOf(walIds, size * 2);
    }
    points[size] = point;
    walIds[size] = walId;
    size++;
    MetricPoint newest = latest;
    if (newest == null || point.timeUnixNanos() >= newest.timeUnixNanos()) {
      latest = point;
    }
  }

  int size() {
    return size;
  }

  /** Takes the head's points, leaving it empty. */
  Buffered take() {
    Buffered taken = new Buffered(points, walIds, size);
    points = new MetricPoint[4];
    walIds = new long[4];
    size = 0;
    return taken;
  }

  /** Puts points taken by a flush that did not commit back in front of the newer ones. */
  void putBack(Buffered taken) {
    MetricPoint[] newerPoints = points;
    long[] newerIds = walIds;
    int newer = size;
    points = new MetricPoint[Math.max(4, taken.size + newer)];
    walIds = new long[points.length];
    System.arraycopy(taken.points, 0, points, 0, taken.size);
    System.arraycopy(taken.walIds, 0, walIds, 0, taken.size);
    System.arraycopy(newerPoints, 0, points, taken.size, newer);
    System.arraycopy(newerIds, 0, walIds, taken.size, newer);
    size = taken.size + newer;
  }

  /** Points in the order their log rows were written, with the id of each row. */
  record Buffered(MetricPoint[] points, long[] walIds, int size) {}
}
