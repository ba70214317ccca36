package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer's in-memory head: the points whose log rows committed since the last flush, and what
 * the writer knows of each series (its row, its rollup frontier). Mutated by the writer thread
 * only, except {@link #find}.
 */
final class MetricHead {
  private final ConcurrentHashMap<SeriesKey, SeriesState> states = new ConcurrentHashMap<>();
  private final List<SeriesState> byIndex = new ArrayList<>();
  private HeadLog log = new HeadLog(1024);

  /**
   * The log a committed flush gave back, emptied, to take the next points: a head lives for a flush
   * interval, long enough to be promoted, so a new one per flush filled the old generation with a
   * dead head every interval (a full collection each time at 100,000 series).
   */
  private HeadLog spare;

  /** Where a flush orders the points it took by series; kept for the same reason. */
  private int[] sortOrder = new int[1024];

  private long appliedWalId;

  /**
   * Indexes of the series whose tenant number is known, sorted by (tenant number, series id): the
   * order of chunk rows, kept across flushes so a flush only merges in its new series.
   */
  private int[] order = new int[0];

  SeriesState find(SeriesKey key) {
    return states.get(key);
  }

  SeriesState state(SeriesKey key) {
    SeriesState state = states.get(key);
    if (state == null) {
      state = new SeriesState(key, byIndex.size());
      byIndex.add(state);
      states.put(key, state);
    }
    return state;
  }

  SeriesState byIndex(int index) {
    return byIndex.get(index);
  }

  int seriesCount() {
    return byIndex.size();
  }

  /** Adds a committed point of the series at {@code index}; {@code walId} is its log row's id. */
  void append(int index, MetricPoint point, long walId) {
    log.add(index, point, walId);
  }

  /**
   * The newest point in the head of each series asked for (writer thread): a scan of the head,
   * which {@code latestPoints} needs only when the aggregator restarts.
   */
  Map<SeriesKey, MetricPoint> newest(Collection<SeriesKey> keys) {
    Map<Integer, SeriesKey> wanted = new HashMap<>();
    for (SeriesKey key : keys) {
      SeriesState state = states.get(key);
      if (state != null) {
        wanted.put(state.index, key);
      }
    }
    return log.newest(wanted);
  }

  /** Notes a series definition, which the next flush writes to its row if it changed. */
  static void define(SeriesState state, MetricSeries definition) {
    if (definition != null && definition != state.definition) {
      if (state.definition == null || !state.definition.equals(definition)) {
        state.definitionStored = false;
      }
      state.definition = definition;
    }
  }

  int[] order() {
    return order;
  }

  void order(int[] order) {
    this.order = order;
  }

  /** Notes that the head holds every own log row up to this id. */
  void applied(long walId) {
    appliedWalId = Math.max(appliedWalId, walId);
  }

  long appliedWalId() {
    return appliedWalId;
  }

  int points() {
    return log.size();
  }

  /** Takes every point for a flush, leaving room for as many again. */
  HeadLog take() {
    HeadLog taken = log;
    int room = taken.size() + taken.size() / 4;
    // Not a spare far bigger than the head needs (left from a flush that fell behind): kept, it
    // would hold that peak for good.
    boolean fits = spare != null && spare.capacity() <= 2L * Math.max(room, 1024);
    log = fits ? spare : new HeadLog(room);
    spare = null;
    return taken;
  }

  /** A flush committed the points it took: their log takes the next flush's points. */
  void recycle(HeadLog stored) {
    stored.clear();
    spare = stored;
  }

  /** Room for a flush to order {@code points} points by series. */
  int[] sortOrder(int points) {
    if (sortOrder.length < points) {
      sortOrder = new int[points + points / 4];
    }
    return sortOrder;
  }

  /** Points a flush took and could not commit go back before the newer ones. */
  void putBack(HeadLog taken) {
    log = HeadLog.concat(taken, log);
  }

  /** Another process took over: its flushes store what this head held (from the log). */
  void clear() {
    log = new HeadLog(1024);
    spare = null;
    appliedWalId = 0;
    forgetStoredState();
  }

  /**
   * Retention or another writer changed rows this head knew: look them up again, and the rollup
   * frontiers too.
   */
  void forgetStoredState() {
    for (SeriesState state : byIndex) {
      state.rowLoaded = false;
      state.definitionStored = false;
      state.frontierLoaded = false;
      state.frontier = null;
    }
  }
}
