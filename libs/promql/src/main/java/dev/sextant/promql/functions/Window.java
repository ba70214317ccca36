package dev.sextant.promql.functions;

/**
 * The samples of one series inside the range of one step: {@code timestamps[from..to)} and the
 * matching values, plus the step's time and the range's bounds. The engine reuses one window per
 * series and moves it along, so functions must not keep it.
 */
public final class Window {
  long[] timestamps;
  double[] values;
  int from;
  int to;
  long stepTime;
  long rangeStart;
  long rangeEnd;
  long rangeMs;

  /** Points the window at a slice of a series' samples. */
  public void set(
      long[] timestamps,
      double[] values,
      int from,
      int to,
      long stepTime,
      long rangeStart,
      long rangeEnd,
      long rangeMs) {
    this.timestamps = timestamps;
    this.values = values;
    this.from = from;
    this.to = to;
    this.stepTime = stepTime;
    this.rangeStart = rangeStart;
    this.rangeEnd = rangeEnd;
    this.rangeMs = rangeMs;
  }

  public int size() {
    return to - from;
  }

  double value(int i) {
    return values[from + i];
  }

  long time(int i) {
    return timestamps[from + i];
  }

  double first() {
    return values[from];
  }

  double last() {
    return values[to - 1];
  }
}
