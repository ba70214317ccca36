package dev.sextant.storage;

import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricWrite;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.StepSampling;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Metric series and their points. Only the aggregator writes here (DESIGN §1). A series is created
 * by its first write; later writes update its metadata (type, unit, description) and the time span
 * it has points in.
 *
 * <p>Visibility: a completed {@link #write} is durable (it survives a crash of this process), but a
 * backend may make points readable a little later, at most {@link
 * Capabilities#metricVisibilityLagMillis()} after the write completed, so that it can store many
 * points of a series together instead of one row per point. {@link #flush} makes everything written
 * so far readable now (tests, benchmarks, shutdown).
 */
public interface MetricStore {

  /**
   * Stores the points; completes once they are durable. A second point for the same series and time
   * replaces the first. Points of one write may belong to many tenants and series.
   */
  Uni<Void> write(List<MetricWrite> writes);

  /**
   * This process is the metric writer: take over what an earlier writer left durable but not yet
   * readable (e.g. replay a write-ahead log) and make it readable; completes when it is. Called
   * once by the aggregator at startup, before its first write; a process that only reads never
   * calls it. A backend may let a process that writes without calling it take over lazily.
   */
  default Uni<Void> startWriting() {
    return Uni.createFrom().voidItem();
  }

  /** Makes every completed write readable; completes when it is. */
  default Uni<Void> flush() {
    return Uni.createFrom().voidItem();
  }

  /**
   * The newest stored point of each given series of the tenant, including points written but not
   * yet readable; series without a point are absent from the map. The aggregator uses it to carry
   * delta-to-cumulative state across its restarts.
   */
  Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds);

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
   * Points of many series of the tenant in the range, each oldest first, by series id; a series
   * without points in the range (or unknown) is absent. The query service reads every series a
   * PromQL selector picked this way, so a backend should answer in one round trip; this default
   * reads the series one after another.
   */
  default Uni<Map<Long, List<MetricPoint>>> points(
      String tenant, Collection<Long> seriesIds, TimeRange range) {
    Uni<Map<Long, List<MetricPoint>>> all = Uni.createFrom().item(new java.util.HashMap<>());
    for (Long id : seriesIds) {
      all =
          all.chain(
              found ->
                  points(tenant, id, range)
                      .map(
                          points -> {
                            if (!points.isEmpty()) {
                              found.put(id, points);
                            }
                            return found;
                          }));
    }
    return all;
  }

  /**
   * Whether a read subscribed on a thread that must not wait ({@link CallerReads#runWithin})
   * completes there at once, as a rule: then small queries are worth trying on such a thread before
   * handing them to one that may wait. False (the default) for a backend that answers over the
   * network, whose every such try would be abandoned.
   */
  default boolean readsCompleteOnCaller() {
    return false;
  }

  /**
   * The series matching every matcher that {@code read} accepts, each with its points in the
   * query's range (at least one), in {@link dev.sextant.storage.query.SeriesOrder}: {@link #series}
   * and {@link #points(String, Collection, TimeRange)} answered together. The query service reads a
   * PromQL selector this way, so a backend should answer in one round trip and skip the work {@link
   * #series} does to prove a series has a point (reading its points proves it). {@code read} is a
   * quick, side-effect-free test (the query service's view of the labels); a backend may call it on
   * any thread, and never reads the points of a series it refuses. This default reads the series,
   * then their points.
   */
  default Uni<List<SeriesPoints>> seriesPoints(SeriesQuery query, Predicate<MetricSeries> read) {
    return seriesPoints(query, StepSampling.ALL, read);
  }

  /**
   * {@link #seriesPoints(SeriesQuery, Predicate)} for a PromQL selector that uses only the points
   * {@code sampling} describes: of a series of numbers a backend may leave out the points that
   * {@link StepSampling#needed} leaves out (keeping every point is always correct), and a series
   * left with no point in the range is then left out. This default keeps every point.
   */
  default Uni<List<SeriesPoints>> seriesPoints(
      SeriesQuery query, StepSampling sampling, Predicate<MetricSeries> read) {
    return series(query)
        .chain(
            found -> {
              List<MetricSeries> wanted = found.stream().filter(read).toList();
              List<Long> ids = wanted.stream().map(MetricSeries::id).toList();
              return points(query.tenant(), ids, query.range())
                  .map(points -> SeriesPoints.of(wanted, points));
            });
  }

  /**
   * Rollups of one series at a tier, as {@link Rollups} defines them: one per window that holds
   * samples and starts in the range, oldest first; empty for an unknown series. They become
   * readable with the points they summarise. Computed over the points stored when they are read or
   * built, so windows reaching back before a {@link #deleteOlderThan} cutoff may have lost samples;
   * raw samples that retention removed through {@link
   * dev.sextant.storage.retention.RetentionStore#deleteBefore} (where rollups were complete) leave
   * their windows as they were.
   */
  Uni<List<Rollup>> rollups(String tenant, long seriesId, RollupTier tier, TimeRange range);

  /**
   * Rollups of the tenant's samples before this time are stored for good, so retention may remove
   * those raw samples and {@link #rollups} still answers for them (ADR 0011). Always on a tier-hour
   * boundary. {@code Long.MIN_VALUE} when nothing is rolled up yet; a backend that computes rollups
   * from whatever points it holds answers with the windows it keeps when points go ({@code
   * Long.MAX_VALUE} for the in-memory one).
   */
  default Uni<Long> rollupsCompleteBefore(String tenant) {
    return Uni.createFrom().item(Long.MIN_VALUE);
  }

  /**
   * Retention may have removed raw samples of the tenant's series before this time while keeping
   * their rollups ({@code Long.MIN_VALUE}: it never did). A reader of an older range should take
   * what {@link #points} lacks there from {@link #rollups}. Before it, {@link #series} and {@link
   * #metricNames} also count a series whose stored rollup windows start in the range as having
   * points there.
   */
  default Uni<Long> pointsRemovedBefore(String tenant) {
    return Uni.createFrom().item(Long.MIN_VALUE);
  }

  /**
   * Stores metric-level metadata (first one per tenant and name wins for the type and temporality;
   * unit and description are updated). The aggregator writes it when a metric name first appears.
   */
  Uni<Void> writeMetadata(List<MetricMetadata> metadata);

  /**
   * The tenant's metric metadata, by name; all of the tenant's metrics when {@code name} is null.
   */
  Uni<List<MetricMetadata>> metadata(String tenant, String name);

  /**
   * Deletes points of every tenant timestamped before the cutoff, rollups of windows that end at or
   * before it, and series left with no point; returns how many points went.
   */
  Uni<Long> deleteOlderThan(long cutoffUnixNanos);
}
