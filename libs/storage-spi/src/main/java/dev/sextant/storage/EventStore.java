package dev.sextant.storage;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.ValuePercentiles;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.NavigableMap;

/**
 * Point-in-time events tied to traces: raw metric observations, scores, feedback. Each kind has its
 * own store. An event is identified by (tenant, id): writing the same id again replaces the event,
 * so a producer's retry stores it once.
 */
public interface EventStore<E extends CorrelatedEvent> {

  /** Stores the events; completes once they are committed. */
  Uni<Void> write(List<E> events);

  /**
   * Events matching every criterion of the query, ordered by time (as the query asks), then id; at
   * most {@code query.limit()}.
   */
  Uni<List<E>> search(EventQuery query);

  /**
   * The distinct names (metric names, scorer ids, feedback types) of a tenant's events in range.
   */
  Uni<List<String>> names(String tenant, TimeRange range, int limit);

  /**
   * Exact percentiles of the values of the selected metric events, per time bucket, as {@link
   * ValuePercentiles#of} computes them: keyed by bucket start (a multiple of {@code bucketNanos}
   * since the Unix epoch), ascending, only buckets holding a selected event, each with one value
   * per requested percentile (0..1), in order. Over every selected event: the query's {@code limit}
   * and order do not apply. A store of other events answers none. Refuses a bucket below 1 ns and a
   * percentile outside 0..1 ({@link ValuePercentiles#check}).
   */
  Uni<NavigableMap<Long, double[]>> percentiles(
      EventSelection selection, long bucketNanos, double[] percentiles);

  /**
   * Totals of the metric events an aggregation selects, per bucket and group, as {@link
   * EventTotals#of} computes them, ordered by {@link EventTotals#ORDER}. Over every selected event:
   * the query's {@code limit} and order do not apply. Fails with an {@link
   * IllegalArgumentException} rather than answer more than {@link EventAggregation#MAX_ROWS} rows.
   * A store of other events answers none.
   */
  Uni<List<EventTotals>> totals(EventAggregation aggregation);

  /** Deletes events of every tenant timestamped before the cutoff; returns how many went. */
  Uni<Long> deleteOlderThan(long cutoffUnixNanos);
}
