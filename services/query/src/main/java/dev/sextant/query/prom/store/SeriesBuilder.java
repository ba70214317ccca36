package dev.sextant.query.prom.store;

import dev.sextant.model.Labels;
import dev.sextant.promql.storage.Series;
import java.util.Arrays;

/**
 * Collects the samples of one float series in time order. Store times are nanoseconds and the
 * engine's are milliseconds: two points within one millisecond keep the later one, so the series
 * never has two samples at one timestamp.
 */
final class SeriesBuilder {
  private final Labels labels;
  private long[] timestamps = new long[8];
  private double[] values = new double[8];
  private int size;

  SeriesBuilder(Labels labels) {
    this.labels = labels;
  }

  void add(long ms, double value) {
    if (size > 0 && timestamps[size - 1] == ms) {
      values[size - 1] = value;
      return;
    }
    if (size == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    timestamps[size] = ms;
    values[size] = value;
    size++;
  }

  Series build() {
    return new Series(labels, timestamps, values, size);
  }
}
