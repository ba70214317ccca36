package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;

/**
 * The writer's state of one series: what its series row holds and its rollup frontier; its points
 * since the last flush are in the head's {@link HeadLog}. Used by the writer thread only.
 */
final class SeriesState {
  final SeriesKey key;

  /** The series' place in the head: its points in the head log carry it. */
  final int index;

  /** The tenant's number once a flush committed one for it, else -1. */
  int tenantRef = -1;

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

  SeriesState(SeriesKey key, int index) {
    this.key = key;
    this.index = index;
  }
}
