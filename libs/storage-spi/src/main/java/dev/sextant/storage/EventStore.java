package dev.sextant.storage;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.TimeRange;
import io.smallrye.mutiny.Uni;
import java.util.List;

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

  /** Deletes events of every tenant timestamped before the cutoff; returns how many went. */
  Uni<Long> deleteOlderThan(long cutoffUnixNanos);
}
