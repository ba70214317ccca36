package dev.sextant.storage;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricWrite;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Metric series and their points. Only the aggregator writes here (DESIGN §1). A series is created
 * by its first write; later writes update its metadata (type, unit, description) and the time span
 * it has points in.
 */
public interface MetricStore {

  /**
   * Stores the points; completes once committed. A second point for the same series and time
   * replaces the first.
   */
  Uni<Void> write(List<MetricWrite> writes);

  /** Names of the tenant's metrics that have points in the range, sorted. */
  Uni<List<String>> metricNames(String tenant, TimeRange range);

  /**
   * Series matching every matcher ({@link SeriesQuery#matches}) that have points in the range, in
   * {@link dev.sextant.storage.query.SeriesOrder} (by name, then labels).
   */
  Uni<List<MetricSeries>> series(SeriesQuery query);

  /** Points of one series in the range, oldest first; empty for an unknown series. */
  Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range);

  /**
   * Deletes points of every tenant timestamped before the cutoff, and series left with no point;
   * returns how many points went.
   */
  Uni<Long> deleteOlderThan(long cutoffUnixNanos);
}
