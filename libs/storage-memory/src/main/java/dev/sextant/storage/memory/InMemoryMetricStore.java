package dev.sextant.storage.memory;

import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricWrite;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.SeriesOrder;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.BucketCounter;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Series per tenant and id, each with its points by time. Writes are readable at once, so {@code
 * startWriting} and {@code flush} have nothing to do; rollups are computed from the points on every
 * read.
 */
final class InMemoryMetricStore implements MetricStore {

  private final Lifecycle lifecycle;
  private final Map<String, Map<Long, StoredSeries>> byTenant = new HashMap<>();
  private final Map<String, Map<String, MetricMetadata>> metadataByTenant = new HashMap<>();
  private final Map<String, Long> pointsRemovedBefore = new HashMap<>();

  InMemoryMetricStore(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  /**
   * A series' latest metadata, its points, and what retention left of its rollups: windows starting
   * before {@code frozenBefore} are kept as they were when their points went (downsampling), later
   * ones computed from the points; windows ending at or before a tier's {@code windowsGoneBefore}
   * are gone.
   */
  private static final class StoredSeries {
    MetricSeries series;
    final NavigableMap<Long, MetricPoint> points = new TreeMap<>();
    final Map<RollupTier, NavigableMap<Long, Rollup>> frozen = new EnumMap<>(RollupTier.class);
    final Map<RollupTier, Long> windowsGoneBefore = new EnumMap<>(RollupTier.class);
    long frozenBefore = Long.MIN_VALUE;

    /** The newest sample before {@code frozenBefore}: the previous sample of the next window. */
    MetricPoint previousOfFrozen;

    StoredSeries(MetricSeries series) {
      this.series = series;
      for (RollupTier tier : RollupTier.values()) {
        frozen.put(tier, new TreeMap<>());
        windowsGoneBefore.put(tier, Long.MIN_VALUE);
      }
    }

    boolean hasPointIn(TimeRange range) {
      Long first = points.ceilingKey(range.startUnixNanos());
      return first != null && first < range.endUnixNanos();
    }

    /** Points in the range, or kept rollup windows starting in it (what retention left). */
    boolean hasDataIn(TimeRange range) {
      if (hasPointIn(range)) {
        return true;
      }
      for (NavigableMap<Long, Rollup> windows : frozen.values()) {
        Long first = windows.ceilingKey(range.startUnixNanos());
        if (first != null && first < range.endUnixNanos()) {
          return true;
        }
      }
      return false;
    }

    boolean isEmpty() {
      return points.isEmpty() && frozen.values().stream().allMatch(Map::isEmpty);
    }

    /** The newest sample before {@code time}, counting the one kept when points went. */
    MetricPoint sampleBefore(long time) {
      for (MetricPoint before : points.headMap(time, false).descendingMap().values()) {
        if (!Rollups.isStaleMarker(before)) {
          return before;
        }
      }
      return time >= frozenBefore ? previousOfFrozen : null;
    }

    /** The rollups of the windows starting in {@code [from, to)}, as retention left them. */
    List<Rollup> rollups(RollupTier tier, long from, long to) {
      List<Rollup> out = new ArrayList<>();
      long gone = windowsGoneBefore.get(tier);
      for (Rollup kept : frozen.get(tier).subMap(from, to).values()) {
        out.add(kept);
      }
      long computeFrom = Math.max(from, frozenBefore);
      if (computeFrom < to) {
        List<MetricPoint> window = List.copyOf(points.subMap(computeFrom, to).values());
        for (Rollup computed : Rollups.compute(tier, sampleBefore(computeFrom), window)) {
          out.add(computed);
        }
      }
      out.removeIf(r -> gone != Long.MIN_VALUE && r.windowStartUnixNanos() + tier.nanos() <= gone);
      return out;
    }
  }

  /** Every read completes on subscription. */
  @Override
  public boolean readsCompleteOnCaller() {
    return true;
  }

  @Override
  public Uni<Void> write(List<MetricWrite> writes) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            for (MetricWrite write : writes) {
              MetricSeries series = write.series();
              StoredSeries stored =
                  byTenant
                      .computeIfAbsent(series.tenant(), t -> new HashMap<>())
                      .computeIfAbsent(series.id(), id -> new StoredSeries(series));
              stored.series = series;
              stored.points.put(write.point().timeUnixNanos(), write.point());
            }
          }
          return null;
        });
  }

  @Override
  public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
    return lifecycle.run(
        () -> {
          Map<Long, MetricPoint> latest = new HashMap<>();
          synchronized (this) {
            Map<Long, StoredSeries> series = byTenant.getOrDefault(tenant, Map.of());
            for (Long id : seriesIds) {
              StoredSeries stored = series.get(id);
              if (stored != null && !stored.points.isEmpty()) {
                latest.put(id, stored.points.lastEntry().getValue());
              }
            }
          }
          return latest;
        });
  }

  @Override
  public Uni<Void> writeMetadata(List<MetricMetadata> metadata) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            for (MetricMetadata m : metadata) {
              metadataByTenant
                  .computeIfAbsent(m.tenant(), t -> new TreeMap<>())
                  .merge(
                      m.name(),
                      m,
                      (first, later) ->
                          new MetricMetadata(
                              first.tenant(),
                              first.name(),
                              first.type(),
                              first.receivedTemporality(),
                              later.unit(),
                              later.description()));
            }
          }
          return null;
        });
  }

  @Override
  public Uni<List<MetricMetadata>> metadata(String tenant, String name) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            Map<String, MetricMetadata> all = metadataByTenant.getOrDefault(tenant, Map.of());
            if (name == null) {
              return List.copyOf(all.values());
            }
            MetricMetadata one = all.get(name);
            return one == null ? List.<MetricMetadata>of() : List.of(one);
          }
        });
  }

  @Override
  public Uni<List<String>> metricNames(String tenant, TimeRange range) {
    return lifecycle.run(
        () -> {
          TreeSet<String> names = new TreeSet<>();
          synchronized (this) {
            for (StoredSeries stored : byTenant.getOrDefault(tenant, Map.of()).values()) {
              if (stored.hasDataIn(range)) {
                names.add(stored.series.name());
              }
            }
          }
          return List.copyOf(names);
        });
  }

  @Override
  public Uni<List<MetricSeries>> series(SeriesQuery query) {
    return lifecycle.run(
        () -> {
          List<MetricSeries> found = new ArrayList<>();
          synchronized (this) {
            for (StoredSeries stored : byTenant.getOrDefault(query.tenant(), Map.of()).values()) {
              if (stored.hasDataIn(query.range()) && query.matches(stored.series)) {
                found.add(stored.series);
              }
            }
          }
          found.sort(SeriesOrder.INSTANCE);
          return List.copyOf(found);
        });
  }

  @Override
  public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            StoredSeries stored = byTenant.getOrDefault(tenant, Map.of()).get(seriesId);
            if (stored == null) {
              return List.of();
            }
            return List.copyOf(
                stored.points.subMap(range.startUnixNanos(), range.endUnixNanos()).values());
          }
        });
  }

  @Override
  public Uni<List<Rollup>> rollups(String tenant, long seriesId, RollupTier tier, TimeRange range) {
    return lifecycle.run(
        () -> {
          TimeRange times = Rollups.sampleTimes(tier, range);
          synchronized (this) {
            StoredSeries stored = byTenant.getOrDefault(tenant, Map.of()).get(seriesId);
            if (stored == null || times.startUnixNanos() == times.endUnixNanos()) {
              return List.<Rollup>of();
            }
            return stored.rollups(tier, times.startUnixNanos(), times.endUnixNanos());
          }
        });
  }

  /** Everything is rolled up on demand, and kept when its points go. */
  @Override
  public Uni<Long> rollupsCompleteBefore(String tenant) {
    return lifecycle.run(() -> Long.MAX_VALUE);
  }

  @Override
  public Uni<Long> pointsRemovedBefore(String tenant) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            return pointsRemovedBefore.getOrDefault(tenant, Long.MIN_VALUE);
          }
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return lifecycle.run(
        () -> {
          long deleted = 0;
          synchronized (this) {
            for (Map<Long, StoredSeries> series : byTenant.values()) {
              Iterator<StoredSeries> each = series.values().iterator();
              while (each.hasNext()) {
                StoredSeries stored = each.next();
                NavigableMap<Long, MetricPoint> old = stored.points.headMap(cutoffUnixNanos, false);
                deleted += old.size();
                old.clear();
                for (RollupTier tier : RollupTier.values()) {
                  stored.frozen.get(tier).headMap(endedBy(tier, cutoffUnixNanos), false).clear();
                }
              }
              series.values().removeIf(StoredSeries::isEmpty);
            }
          }
          return deleted;
        });
  }

  synchronized void clear() {
    byTenant.clear();
    metadataByTenant.clear();
    pointsRemovedBefore.clear();
  }

  /** The first window start that does not end by the cutoff: windows before it ended by then. */
  private static long endedBy(RollupTier tier, long cutoffUnixNanos) {
    return cutoffUnixNanos < Long.MIN_VALUE + tier.nanos()
        ? Long.MIN_VALUE
        : tier.windowStart(cutoffUnixNanos - tier.nanos()) + tier.nanos();
  }

  // ------------------------------------------------------------------ retention

  synchronized List<String> tenants(RetentionSignal signal) {
    List<String> tenants = new ArrayList<>();
    for (Map.Entry<String, Map<Long, StoredSeries>> tenant : byTenant.entrySet()) {
      boolean any =
          tenant.getValue().values().stream()
              .anyMatch(
                  stored ->
                      signal == RetentionSignal.METRIC_POINTS
                          ? !stored.points.isEmpty()
                          : !stored.isEmpty());
      if (any) {
        tenants.add(tenant.getKey());
      }
    }
    tenants.sort(null);
    return tenants;
  }

  private List<StoredSeries> seriesOf(RowSet set) {
    List<StoredSeries> found = new ArrayList<>();
    for (StoredSeries stored : byTenant.getOrDefault(set.tenant(), Map.of()).values()) {
      if (set.matches(stored.series)) {
        found.add(stored);
      }
    }
    found.sort((a, b) -> Long.compare(a.series.id(), b.series.id()));
    return found;
  }

  /**
   * Raw samples go in whole hours: the cutoff moves back to its hour, so the hour and minute
   * windows before it are complete when they are kept.
   */
  synchronized Deleted deletePoints(RowSet set, long cutoffUnixNanos, int maxRows) {
    long cutoff = RollupTier.ONE_HOUR.windowStart(cutoffUnixNanos);
    long rows = 0;
    long bytes = 0;
    boolean more = false;
    for (StoredSeries stored : seriesOf(set)) {
      NavigableMap<Long, MetricPoint> old = stored.points.headMap(cutoff, false);
      if (old.isEmpty()) {
        continue;
      }
      if (rows >= maxRows) {
        more = true;
        break;
      }
      List<MetricPoint> going = List.copyOf(old.values());
      for (RollupTier tier : RollupTier.values()) {
        for (Rollup rollup : Rollups.compute(tier, stored.previousOfFrozen, going)) {
          stored.frozen.get(tier).put(rollup.windowStartUnixNanos(), rollup);
        }
      }
      MetricPoint newest = stored.sampleBefore(cutoff);
      stored.previousOfFrozen = newest;
      stored.frozenBefore = Math.max(stored.frozenBefore, cutoff);
      for (MetricPoint point : going) {
        bytes += Sizes.of(point);
      }
      rows += going.size();
      old.clear();
    }
    pointsRemovedBefore.merge(set.tenant(), cutoff, Math::max);
    byTenant.getOrDefault(set.tenant(), new HashMap<>()).values().removeIf(StoredSeries::isEmpty);
    return new Deleted(rows, bytes, more, cutoff);
  }

  /** Windows of a tier that ended by the cutoff: kept ones are dropped, computed ones hidden. */
  synchronized Deleted deleteWindows(
      RollupTier tier, RowSet set, long cutoffUnixNanos, int maxRows) {
    long rows = 0;
    boolean more = false;
    for (StoredSeries stored : seriesOf(set)) {
      List<Rollup> old = stored.rollups(tier, Long.MIN_VALUE, endedBy(tier, cutoffUnixNanos));
      if (old.isEmpty()) {
        continue;
      }
      if (rows >= maxRows) {
        more = true;
        break;
      }
      rows += old.size();
      stored.frozen.get(tier).headMap(endedBy(tier, cutoffUnixNanos), false).clear();
      stored.windowsGoneBefore.merge(tier, cutoffUnixNanos, Math::max);
    }
    byTenant.getOrDefault(set.tenant(), new HashMap<>()).values().removeIf(StoredSeries::isEmpty);
    return new Deleted(rows, rows * Sizes.ROLLUP_WINDOW, more, cutoffUnixNanos);
  }

  synchronized List<Bucket> histogram(
      RetentionSignal signal, RowSet set, long beforeUnixNanos, long bucketNanos) {
    BucketCounter counter = new BucketCounter(bucketNanos);
    RollupTier tier = tierOf(signal);
    for (StoredSeries stored : seriesOf(set)) {
      if (tier == null) {
        long cutoff = RollupTier.ONE_HOUR.windowStart(beforeUnixNanos);
        for (MetricPoint point : stored.points.headMap(cutoff, false).values()) {
          counter.add(point.timeUnixNanos(), 1, Sizes.of(point));
        }
      } else {
        for (Rollup r : stored.rollups(tier, Long.MIN_VALUE, endedBy(tier, beforeUnixNanos))) {
          counter.add(r.windowStartUnixNanos(), 1, Sizes.ROLLUP_WINDOW);
        }
      }
    }
    return counter.buckets();
  }

  synchronized OptionalLong oldest(RetentionSignal signal, RowSet set) {
    RollupTier tier = tierOf(signal);
    long oldest = Long.MAX_VALUE;
    for (StoredSeries stored : seriesOf(set)) {
      if (tier == null) {
        if (!stored.points.isEmpty()) {
          oldest = Math.min(oldest, stored.points.firstKey());
        }
      } else {
        List<Rollup> windows = stored.rollups(tier, Long.MIN_VALUE, Long.MAX_VALUE);
        if (!windows.isEmpty()) {
          oldest = Math.min(oldest, windows.getFirst().windowStartUnixNanos());
        }
      }
    }
    return oldest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(oldest);
  }

  synchronized long bytes(RetentionSignal signal) {
    RollupTier tier = tierOf(signal);
    long bytes = 0;
    for (Map<Long, StoredSeries> series : byTenant.values()) {
      for (StoredSeries stored : series.values()) {
        if (tier == null) {
          for (MetricPoint point : stored.points.values()) {
            bytes += Sizes.of(point);
          }
        } else {
          bytes +=
              Sizes.ROLLUP_WINDOW * stored.rollups(tier, Long.MIN_VALUE, Long.MAX_VALUE).size();
        }
      }
    }
    return bytes;
  }

  /** The tier of a rollup signal; null for raw samples. */
  static RollupTier tierOf(RetentionSignal signal) {
    return switch (signal) {
      case METRIC_ROLLUPS_1M -> RollupTier.ONE_MINUTE;
      case METRIC_ROLLUPS_1H -> RollupTier.ONE_HOUR;
      case METRIC_POINTS -> null;
      case SPANS, SPAN_PAYLOADS, LOGS, METRIC_EVENTS, SCORES, FEEDBACK ->
          throw new IllegalArgumentException(signal.jsonName() + " is not a metric signal");
    };
  }
}
