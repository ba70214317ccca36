package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricSeries;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a writing process knows of the series it writes, on the callers' threads: each series' id (a
 * SHA-256, computed once per distinct definition rather than once per point) and whether its
 * definition is already in the write-ahead log or the series table, so later writes name it by id
 * only. Keyed by the whole definition, so new metadata is a new entry and is logged again.
 */
final class SeriesCatalog {
  /** Above this many entries the catalog starts over; it is a cache. */
  private static final int MAX_ENTRIES = 1_000_000;

  private final ConcurrentHashMap<MetricSeries, Entry> entries = new ConcurrentHashMap<>();
  private volatile long retentionEpoch;

  /** One series definition as this process wrote it. */
  static final class Entry {
    final MetricSeries series;
    final SeriesKey key;

    /** Whether a committed log row or the series table holds this definition. */
    volatile boolean logged;

    /** The head's state of the series; set and used by the writer thread only. */
    SeriesState state;

    Entry(MetricSeries series) {
      this.series = series;
      this.key = new SeriesKey(series.tenant(), series.id());
    }
  }

  Entry resolve(MetricSeries series) {
    Entry entry = entries.get(series);
    if (entry != null) {
      return entry;
    }
    if (entries.size() > MAX_ENTRIES) {
      entries.clear();
    }
    return entries.computeIfAbsent(series, Entry::new);
  }

  /** The retention epoch the entries' {@code logged} flags are valid for. */
  long retentionEpoch() {
    return retentionEpoch;
  }

  /**
   * Retention deleted series rows (and so possibly definitions this process relied on): every
   * definition is logged again with its next write.
   */
  void startEpoch(long epoch) {
    if (epoch != retentionEpoch) {
      entries.values().forEach(entry -> entry.logged = false);
      retentionEpoch = epoch;
    }
  }
}
