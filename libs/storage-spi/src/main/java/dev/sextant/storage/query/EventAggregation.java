package dev.sextant.storage.query;

import dev.sextant.model.MetricEvent;
import java.util.List;

/**
 * What Mastra's metric OLAP routes (aggregate, breakdown, time series) ask of metric events: the
 * events of a query, narrowed by the cost's provider and model when given, totalled per time bucket
 * and group ({@link EventTotals}).
 *
 * @param events the events (their {@code limit} and order do not apply to a store that totals them
 *     where they are)
 * @param provider keeps events whose cost has this provider; null keeps all
 * @param model keeps events whose cost has this model; null keeps all
 * @param bucketNanos bucket length, a multiple of which each bucket starts at since the Unix epoch;
 *     0 puts every event in one bucket starting at 0
 * @param groupBy event keys ({@link EventKeys}) whose values make a group; events missing a label
 *     among them are left out; empty makes one group
 * @param distinctKey the key whose distinct values {@link EventTotals#distinct()} counts
 */
public record EventAggregation(
    EventQuery events,
    String provider,
    String model,
    long bucketNanos,
    List<String> groupBy,
    String distinctKey) {

  /** At most this many keys in a group. */
  public static final int MAX_GROUP_KEYS = 10;

  /** A store answers at most this many buckets and groups, and fails a query that makes more. */
  public static final int MAX_ROWS = EventQuery.MAX_LIMIT;

  public EventAggregation {
    if (events == null) {
      throw new IllegalArgumentException("events are required");
    }
    if (bucketNanos < 0) {
      throw new IllegalArgumentException("bucket must not be negative");
    }
    groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    if (groupBy.size() > MAX_GROUP_KEYS) {
      throw new IllegalArgumentException("at most " + MAX_GROUP_KEYS + " group keys");
    }
    for (String key : groupBy) {
      EventKeys.check(key);
    }
    distinctKey = distinctKey == null ? "name" : distinctKey;
    EventKeys.check(distinctKey);
  }

  public EventAggregation(
      EventSelection selection, long bucketNanos, List<String> groupBy, String distinctKey) {
    this(
        selection.events(),
        selection.provider(),
        selection.model(),
        bucketNanos,
        groupBy,
        distinctKey);
  }

  /** Every event of the query in one bucket and one group. */
  public static EventAggregation total(EventQuery events) {
    return new EventAggregation(events, null, null, 0, List.of(), null);
  }

  /** The events the aggregation is over. */
  public EventSelection selection() {
    return new EventSelection(events, provider, model);
  }

  /** Whether the aggregation counts the event ({@link EventSelection#selects}). */
  public boolean selects(MetricEvent e) {
    return EventSelection.selects(events, provider, model, e);
  }

  /** The bucket an event's time falls in. */
  public long bucket(long timeUnixNanos) {
    return bucketNanos == 0 ? 0 : Math.floorDiv(timeUnixNanos, bucketNanos) * bucketNanos;
  }

  /** Refuses an answer of more rows than a store may give. */
  public static void checkRows(long rows) {
    if (rows > MAX_ROWS) {
      throw new IllegalArgumentException(
          "more than " + MAX_ROWS + " groups and buckets; group by fewer keys or narrow the query");
    }
  }
}
