package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricSeries;
import java.util.Arrays;
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

  /**
   * The entries last resolved, by the identity of the definition object: a caller that keeps one
   * {@link MetricSeries} per series (as a writer keeping per-series state does) skips hashing its
   * labels, whose strings are cold in the cache by the time the series comes round again. A million
   * slots (4 MB) keep collisions rare up to a few hundred thousand series. Slots are replaced
   * racily, which is safe: an entry never changes its series.
   */
  private volatile Entry[] recent;

  /** One series definition as this process wrote it. */
  static final class Entry {
    final MetricSeries series;
    final SeriesKey key;

    /** Whether a committed log row or the series table holds this definition. */
    volatile boolean logged;

    /**
     * The index of the series in the writer's head once it has one (-1 before): set by the writer
     * thread, read by callers so log rows carry it and the head need not look the series up.
     */
    volatile int stateIndex = -1;

    Entry(MetricSeries series) {
      this.series = series;
      this.key = new SeriesKey(series.tenant(), series.id());
    }
  }

  Entry resolve(MetricSeries series) {
    Entry[] recent = recent();
    int slot = System.identityHashCode(series) & (recent.length - 1);
    Entry cached = recent[slot];
    if (cached != null && cached.series == series) {
      return cached;
    }
    Entry entry = entries.get(series);
    if (entry == null) {
      if (entries.size() > MAX_ENTRIES) {
        entries.clear();
      }
      entry = entries.computeIfAbsent(series, Entry::new);
    }
    recent[slot] = entry;
    return entry;
  }

  /** The identity cache, made by the first write: processes that only read never need it. */
  private Entry[] recent() {
    Entry[] cache = recent;
    if (cache == null) {
      synchronized (this) {
        cache = recent;
        if (cache == null) {
          cache = new Entry[1 << 20];
          recent = cache;
        }
      }
    }
    return cache;
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
      Entry[] cache = recent;
      if (cache != null) {
        Arrays.fill(cache, null);
      }
      retentionEpoch = epoch;
    }
  }
}
