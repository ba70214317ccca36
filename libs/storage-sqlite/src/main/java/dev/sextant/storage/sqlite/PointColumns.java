package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * Points held as columns: number points as primitive times, start times and values, other kinds as
 * objects. The head keeps points this way so a flush reads 100,000 series' points from a few arrays
 * per series instead of chasing an object per point around the heap.
 */
final class PointColumns {
  long[] times;
  long[] starts;
  double[] values;

  /** Null, or the point at each index that is not a number point. */
  MetricPoint[] others;

  int size;

  PointColumns(int capacity) {
    int n = Math.max(4, capacity);
    times = new long[n];
    starts = new long[n];
    values = new double[n];
  }

  /** Room for {@code capacity} points. */
  void reserve(int capacity) {
    if (times.length < capacity) {
      grow(capacity);
    }
  }

  /** Empty, keeping the room. */
  void clear() {
    if (others != null) {
      Arrays.fill(others, 0, size, null);
    }
    size = 0;
  }

  void add(MetricPoint point) {
    if (size == times.length) {
      grow(size + size / 2);
    }
    times[size] = point.timeUnixNanos();
    starts[size] = point.startTimeUnixNanos();
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

  void addAll(PointColumns other, int from, int to) {
    for (int i = from; i < to; i++) {
      if (size == times.length) {
        grow(size + size / 2);
      }
      times[size] = other.times[i];
      starts[size] = other.starts[i];
      values[size] = other.values[i];
      MetricPoint object = other.object(i);
      if (object != null && others == null) {
        others = new MetricPoint[times.length];
      }
      if (others != null) {
        others[size] = object;
      }
      size++;
    }
  }

  private void grow(int capacity) {
    times = Arrays.copyOf(times, capacity);
    starts = Arrays.copyOf(starts, capacity);
    values = Arrays.copyOf(values, capacity);
    if (others != null) {
      others = Arrays.copyOf(others, capacity);
    }
  }

  /** The point at an index that is not a number point, or null. */
  MetricPoint object(int i) {
    return others == null ? null : others[i];
  }

  MetricPoint get(int i) {
    MetricPoint object = object(i);
    return object != null ? object : new NumberPoint(starts[i], times[i], values[i]);
  }

  static PointColumns of(List<? extends MetricPoint> points) {
    PointColumns columns = new PointColumns(points.size());
    for (MetricPoint point : points) {
      columns.add(point);
    }
    return columns;
  }

  /** The points as a list, made on access. */
  List<MetricPoint> asList() {
    return new AbstractList<>() {
      @Override
      public MetricPoint get(int index) {
        return PointColumns.this.get(index);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }
}
