package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer's in-memory head: per series, the points whose log rows committed since the last
 * flush, plus what the writer knows of each series (its row, its rollup frontier). Mutated by the
 * writer thread only; other threads read {@link SeriesState#latest} through {@link #find}.
 */
final class MetricHead {
  private final ConcurrentHashMap<SeriesKey, SeriesState> states = new ConcurrentHashMap<>();
  private List<SeriesState> dirty = new ArrayList<>();
  private int points;
  private long appliedWalId;

  SeriesState find(SeriesKey key) {
    return states.get(key);
  }

  SeriesState state(SeriesKey key) {
    return states.computeIfAbsent(key, SeriesState::new);
  }

  /**
   * The state of a catalog entry's series, remembered on the entry so the next write skips the map.
   */
  SeriesState state(SeriesCatalog.Entry entry) {
    SeriesState state = entry.state;
    if (state == null) {
      state = state(entry.key);
      entry.state = state;
    }
    return state;
  }

  /** Adds a committed point; {@code walId} is its log row's id. */
  void append(SeriesState state, MetricSeries definition, MetricPoint point, long walId) {
    if (definition != null && definition != state.definition) {
      if (state.definition == null || !state.definition.equals(definition)) {
        state.definitionStored = false;
      }
      state.definition = definition;
    }
    if (state.size() == 0) {
      dirty.add(state);
    }
    state.append(point, walId);
    points++;
  }

  /** Notes that the head holds every own log row up to this id. */
  void applied(long walId) {
    appliedWalId = Math.max(appliedWalId, walId);
  }

  long appliedWalId() {
    return appliedWalId;
  }

  int points() {
    return points;
  }

  /** The series with points, and forgets them as such: a flush takes their points. */
  List<SeriesState> takeDirty() {
    List<SeriesState> taken = dirty;
    dirty = new ArrayList<>();
    points = 0;
    return taken;
  }

  /** Points a flush took and could not commit go back. */
  void putBack(SeriesState state, SeriesState.Buffered buffered) {
    if (state.size() == 0) {
      dirty.add(state);
    }
    state.putBack(buffered);
    points += buffered.size();
  }

  /** Another process took over: its flushes store what this head held (from the log). */
  void clear() {
    for (SeriesState state : dirty) {
      state.take();
    }
    dirty = new ArrayList<>();
    points = 0;
    appliedWalId = 0;
    forgetStoredState();
  }

  /**
   * Retention or another writer changed rows this head knew: look them up again, and the rollup
   * frontiers too.
   */
  void forgetStoredState() {
    for (SeriesState state : states.values()) {
      state.rowLoaded = false;
      state.definitionStored = false;
      state.frontierLoaded = false;
      state.frontier = null;
    }
  }
}
