package dev.sextant.storage.rollup;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;

/** The running rollup of one window of one point kind; mutable, one thread. */
sealed interface Window permits NumberWindow, HistogramWindow, ExponentialWindow, SummaryWindow {

  /** Adds the next sample of the series; {@code previous} is the sample before it, or null. */
  void add(MetricPoint previous, MetricPoint point);

  /** Adds a rollup of later samples of the same window (or of a window this one now spans). */
  void add(Rollup later);

  Rollup toRollup(long windowStartUnixNanos);

  /** An empty window for samples of the point's kind. */
  static Window forPoint(MetricPoint point) {
    return switch (point) {
      case NumberPoint ignored -> new NumberWindow();
      case HistogramPoint ignored -> new HistogramWindow();
      case ExponentialHistogramPoint ignored -> new ExponentialWindow();
      case SummaryPoint ignored -> new SummaryWindow();
    };
  }

  /** A window holding what a rollup holds. */
  static Window of(Rollup rollup) {
    Window window =
        switch (rollup) {
          case NumberRollup ignored -> new NumberWindow();
          case HistogramRollup ignored -> new HistogramWindow();
          case ExponentialHistogramRollup ignored -> new ExponentialWindow();
          case SummaryRollup ignored -> new SummaryWindow();
        };
    window.add(rollup);
    return window;
  }

  /** Whether the window takes samples (or rollups) of this kind. */
  static boolean sameKind(Window window, MetricPoint point) {
    return switch (window) {
      case NumberWindow ignored -> point instanceof NumberPoint;
      case HistogramWindow ignored -> point instanceof HistogramPoint;
      case ExponentialWindow ignored -> point instanceof ExponentialHistogramPoint;
      case SummaryWindow ignored -> point instanceof SummaryPoint;
    };
  }

  static boolean sameKind(Window window, Rollup rollup) {
    return switch (window) {
      case NumberWindow ignored -> rollup instanceof NumberRollup;
      case HistogramWindow ignored -> rollup instanceof HistogramRollup;
      case ExponentialWindow ignored -> rollup instanceof ExponentialHistogramRollup;
      case SummaryWindow ignored -> rollup instanceof SummaryRollup;
    };
  }

  /**
   * Whether two samples of a cumulative series share a start: equal, or one of them unknown (0).
   */
  static boolean sameStart(MetricPoint a, MetricPoint b) {
    return a.startTimeUnixNanos() == b.startTimeUnixNanos()
        || a.startTimeUnixNanos() == 0
        || b.startTimeUnixNanos() == 0;
  }
}
