package dev.sextant.storage.memory;

import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricWrite;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.SeriesOrder;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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

  InMemoryMetricStore(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  /** A series' latest metadata and its points. */
  private static final class StoredSeries {
    MetricSeries series;
    final NavigableMap<Long, MetricPoint> points = new TreeMap<>();

    StoredSeries(MetricSeries series) {
      this.series = series;
    }

    boolean hasPointIn(TimeRange range) {
      Long first = points.ceilingKey(range.startUnixNanos());
      return first != null && first < range.endUnixNanos();
    }
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
              if (stored.hasPointIn(range)) {
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
              if (stored.hasPointIn(query.range()) && query.matches(stored.series)) {
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
          List<MetricPoint> points;
          MetricPoint previous = null;
          synchronized (this) {
            StoredSeries stored = byTenant.getOrDefault(tenant, Map.of()).get(seriesId);
            if (stored == null || times.startUnixNanos() == times.endUnixNanos()) {
              return List.<Rollup>of();
            }
            points =
                List.copyOf(
                    stored.points.subMap(times.startUnixNanos(), times.endUnixNanos()).values());
            for (MetricPoint before :
                stored.points.headMap(times.startUnixNanos(), false).descendingMap().values()) {
              if (!Rollups.isStaleMarker(before)) {
                previous = before;
                break;
              }
            }
          }
          return Rollups.compute(tier, previous, points);
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
                NavigableMap<Long, MetricPoint> old =
                    each.next().points.headMap(cutoffUnixNanos, false);
                deleted += old.size();
                old.clear();
              }
              series.values().removeIf(stored -> stored.points.isEmpty());
            }
          }
          return deleted;
        });
  }

  synchronized void clear() {
    byTenant.clear();
    metadataByTenant.clear();
  }
}
