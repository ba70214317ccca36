package dev.sextant.aggregator;

import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricWrite;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** A metric store that forwards every call; tests override what they change. */
class ForwardingMetricStore implements MetricStore {
  private final MetricStore delegate;

  ForwardingMetricStore(MetricStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Uni<Void> write(List<MetricWrite> writes) {
    return delegate.write(writes);
  }

  @Override
  public Uni<Void> startWriting() {
    return delegate.startWriting();
  }

  @Override
  public Uni<Void> flush() {
    return delegate.flush();
  }

  @Override
  public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
    return delegate.latestPoints(tenant, seriesIds);
  }

  @Override
  public Uni<Void> writeMetadata(List<MetricMetadata> metadata) {
    return delegate.writeMetadata(metadata);
  }

  @Override
  public Uni<List<MetricMetadata>> metadata(String tenant, String name) {
    return delegate.metadata(tenant, name);
  }

  @Override
  public Uni<List<String>> metricNames(String tenant, TimeRange range) {
    return delegate.metricNames(tenant, range);
  }

  @Override
  public Uni<List<MetricSeries>> series(SeriesQuery query) {
    return delegate.series(query);
  }

  @Override
  public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
    return delegate.points(tenant, seriesId, range);
  }

  @Override
  public Uni<List<Rollup>> rollups(String tenant, long seriesId, RollupTier tier, TimeRange range) {
    return delegate.rollups(tenant, seriesId, tier, range);
  }

  @Override
  public Uni<Long> rollupsCompleteBefore(String tenant) {
    return delegate.rollupsCompleteBefore(tenant);
  }

  @Override
  public Uni<Long> pointsRemovedBefore(String tenant) {
    return delegate.pointsRemovedBefore(tenant);
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return delegate.deleteOlderThan(cutoffUnixNanos);
  }
}
