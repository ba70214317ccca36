package dev.sextant.storage.memory;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.MetricEvent;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.ValuePercentiles;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;

/** Events of one kind per (tenant, id); one lock for the lot. */
final class InMemoryEventStore<E extends CorrelatedEvent> implements EventStore<E> {
  private record Key(String tenant, String id) {}

  private static final Comparator<CorrelatedEvent> OLDEST_FIRST =
      Comparator.comparingLong(CorrelatedEvent::timeUnixNanos).thenComparing(CorrelatedEvent::id);

  private final Lifecycle lifecycle;
  private final Map<Key, E> events = new HashMap<>();

  InMemoryEventStore(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public Uni<Void> write(List<E> written) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            for (E event : written) {
              events.put(new Key(event.tenant(), event.id()), event);
            }
          }
          return null;
        });
  }

  @Override
  public Uni<List<E>> search(EventQuery query) {
    return lifecycle.run(
        () -> {
          List<E> found = new ArrayList<>();
          synchronized (this) {
            for (E event : events.values()) {
              if (query.matches(event)) {
                found.add(event);
              }
            }
          }
          found.sort(query.newestFirst() ? OLDEST_FIRST.reversed() : OLDEST_FIRST);
          return List.copyOf(found.subList(0, Math.min(query.limit(), found.size())));
        });
  }

  @Override
  public Uni<NavigableMap<Long, double[]>> percentiles(
      EventSelection selection, long bucketNanos, double[] percentiles) {
    ValuePercentiles.Accumulator accumulator =
        new ValuePercentiles.Accumulator(bucketNanos, percentiles);
    return lifecycle.run(
        () -> {
          synchronized (this) {
            for (E event : events.values()) {
              if (event instanceof MetricEvent metric && selection.selects(metric)) {
                accumulator.add(metric);
              }
            }
          }
          return accumulator.percentiles();
        });
  }

  @Override
  public Uni<List<EventTotals>> totals(EventAggregation aggregation) {
    EventTotals.Accumulator totals = new EventTotals.Accumulator(aggregation);
    return lifecycle.run(
        () -> {
          synchronized (this) {
            for (E event : events.values()) {
              if (event instanceof MetricEvent metric && aggregation.selects(metric)) {
                totals.add(metric);
              }
            }
          }
          return totals.totals();
        });
  }

  @Override
  public Uni<List<String>> names(String tenant, TimeRange range, int limit) {
    return lifecycle.run(
        () -> {
          TreeSet<String> names = new TreeSet<>();
          synchronized (this) {
            for (E event : events.values()) {
              if (event.tenant().equals(tenant) && range.contains(event.timeUnixNanos())) {
                names.add(event.name());
              }
            }
          }
          return names.stream().limit(limit).toList();
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            int before = events.size();
            events.values().removeIf(event -> event.timeUnixNanos() < cutoffUnixNanos);
            return (long) (before - events.size());
          }
        });
  }

  synchronized void clear() {
    events.clear();
  }
}
