package dev.sextant.query.metrics;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metric query API's work: aggregates, breakdowns, time series and percentiles of one metric,
 * computed from the store's rollups (never from raw points), so a month of data costs a month of
 * 1-hour windows. The tier is the coarsest whose windows fit the buckets: 1-hour windows for
 * buckets of an hour or more (and for a single bucket over a day or more), else 1-minute windows. A
 * range is widened to whole windows of that tier. Buckets are aligned to the Unix epoch; buckets
 * without samples are left out.
 */
@ApplicationScoped
public class MetricQueries {
  /** The most series one query reads; more is a 400 asking for filters. */
  static final int MAX_SERIES = 10_000;

  /** Series whose rollups are read at once: enough to keep the store's readers busy. */
  private static final int READ_CONCURRENCY = 8;

  private final MetricStore store;

  @Inject
  public MetricQueries(StorageComponent storage) {
    this.store = storage.metrics();
  }

  /** A group's buckets: its label values (by the requested names) and rollups per bucket start. */
  public record Group(Map<String, String> labels, TreeMap<Long, List<Rollup>> buckets) {}

  /** What was read for a query: the metric's type and its groups. */
  public record Read(MetricType type, MetricAggregation aggregation, List<Group> groups) {}

  public Uni<Read> read(String tenant, MetricQuery query) {
    List<LabelMatcher> matchers = new ArrayList<>();
    matchers.add(LabelMatcher.equal(LabelMatcher.METRIC_NAME, query.metric()));
    query.filters().forEach((name, value) -> matchers.add(LabelMatcher.equal(name, value)));
    return store
        .series(new SeriesQuery(tenant, matchers, query.range()))
        .chain(
            series -> {
              if (series.size() > MAX_SERIES) {
                throw RejectedRequestException.badInput(
                    "metric '"
                        + query.metric()
                        + "' has "
                        + series.size()
                        + " series in the range, more than "
                        + MAX_SERIES
                        + "; narrow it with filter=label=value");
              }
              if (series.isEmpty()) {
                MetricAggregation a =
                    query.aggregation() == null ? MetricAggregation.SUM : query.aggregation();
                return Uni.createFrom().item(new Read(null, a, List.of()));
              }
              MetricType type = series.getFirst().type();
              MetricAggregation aggregation =
                  query.aggregation() == null ? MetricValues.natural(type) : query.aggregation();
              MetricValues.check(type, aggregation);
              List<MetricSeries> sameType = series.stream().filter(s -> s.type() == type).toList();
              return readRollups(tenant, query, sameType)
                  .map(groups -> new Read(type, aggregation, groups));
            });
  }

  private Uni<List<Group>> readRollups(
      String tenant, MetricQuery query, List<MetricSeries> series) {
    RollupTier tier = tier(query);
    long width = query.interval() == null ? Long.MAX_VALUE : query.interval().toNanos();
    long singleBucketStart = tier.windowStart(query.range().startUnixNanos());
    TimeRange windows =
        new TimeRange(singleBucketStart, Math.max(singleBucketStart, query.range().endUnixNanos()));
    Map<Map<String, String>, Group> groups = new LinkedHashMap<>();
    return Multi.createFrom()
        .iterable(series)
        .onItem()
        .transformToUni(
            s -> store.rollups(tenant, s.id(), tier, windows).map(rollups -> Map.entry(s, rollups)))
        .merge(READ_CONCURRENCY)
        .collect()
        .asList()
        .map(
            read -> {
              for (Map.Entry<MetricSeries, List<Rollup>> entry : read) {
                Map<String, String> key = groupKey(entry.getKey(), query.groupBy());
                if (key == null || entry.getValue().isEmpty()) {
                  continue;
                }
                Group group = groups.computeIfAbsent(key, k -> new Group(k, new TreeMap<>()));
                for (Rollup bucket : Rollups.merge(entry.getValue(), width)) {
                  long start =
                      query.interval() == null ? singleBucketStart : bucket.windowStartUnixNanos();
                  group.buckets().computeIfAbsent(start, t -> new ArrayList<>()).add(bucket);
                }
              }
              return List.copyOf(groups.values());
            });
  }

  /**
   * The series' values of the grouping labels; null when it lacks one (left out, as Mastra does).
   */
  private static Map<String, String> groupKey(MetricSeries series, List<String> groupBy) {
    Map<String, String> key = new LinkedHashMap<>();
    for (String name : groupBy) {
      String value = series.labels().get(name);
      if (value.isEmpty()) {
        return null;
      }
      key.put(name, value);
    }
    return key;
  }

  static RollupTier tier(MetricQuery query) {
    Duration hour = Duration.ofHours(1);
    if (query.interval() != null) {
      return query.interval().compareTo(hour) >= 0 ? RollupTier.ONE_HOUR : RollupTier.ONE_MINUTE;
    }
    long span = query.range().endUnixNanos() - query.range().startUnixNanos();
    return span >= Duration.ofDays(1).toNanos() ? RollupTier.ONE_HOUR : RollupTier.ONE_MINUTE;
  }

  /** The length of a bucket in seconds, for rates. */
  static double bucketSeconds(MetricQuery query) {
    if (query.interval() != null) {
      return query.interval().toNanos() / 1e9;
    }
    RollupTier tier = tier(query);
    long start = tier.windowStart(query.range().startUnixNanos());
    return Math.max(1, query.range().endUnixNanos() - start) / 1e9;
  }
}
