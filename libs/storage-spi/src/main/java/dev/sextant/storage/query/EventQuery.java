package dev.sextant.storage.query;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.MetricEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Event search. Null or empty criteria are not applied. {@code names} keeps events whose name is
 * one of them; {@code traceIds} likewise; {@code correlation} keeps events whose correlation has
 * each given key at the given value; {@code tags} keeps events whose correlation has all of them;
 * {@code labels} (metric events only; other kinds never match a non-empty one) keeps events having
 * each label at the given value.
 */
public record EventQuery(
    String tenant,
    TimeRange range,
    Set<String> names,
    Set<String> traceIds,
    String spanId,
    Map<String, String> correlation,
    List<String> tags,
    Map<String, String> labels,
    boolean newestFirst,
    int limit) {

  public static final int MAX_LIMIT = 100_000;

  public EventQuery {
    range = range == null ? TimeRange.ALL : range;
    names = names == null ? Set.of() : Set.copyOf(names);
    traceIds = traceIds == null ? Set.of() : Set.copyOf(traceIds);
    correlation = correlation == null ? Map.of() : Map.copyOf(correlation);
    tags = tags == null ? List.of() : List.copyOf(tags);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT);
    }
  }

  public static EventQuery all(String tenant, int limit) {
    return new EventQuery(tenant, null, null, null, null, null, null, null, false, limit);
  }

  /** The tenant's events of these names, at any time, oldest first. */
  public static EventQuery named(String tenant, Set<String> names, int limit) {
    return new EventQuery(tenant, null, names, null, null, null, null, null, false, limit);
  }

  /** The same criteria over another time range. */
  public EventQuery withRange(TimeRange other) {
    return new EventQuery(
        tenant, other, names, traceIds, spanId, correlation, tags, labels, newestFirst, limit);
  }

  /** The same criteria, oldest first, at most {@code max} events. */
  public EventQuery oldestFirst(int max) {
    return new EventQuery(
        tenant, range, names, traceIds, spanId, correlation, tags, labels, false, max);
  }

  /** The reference semantics of the query for one event; backends may push parts down. */
  public boolean matches(CorrelatedEvent event) {
    if (!event.tenant().equals(tenant) || !range.contains(event.timeUnixNanos())) {
      return false;
    }
    if (!names.isEmpty() && !names.contains(event.name())) {
      return false;
    }
    if (!traceIds.isEmpty() && !traceIds.contains(event.traceId())) {
      return false;
    }
    if (spanId != null && !spanId.equals(event.spanId())) {
      return false;
    }
    for (Map.Entry<String, String> wanted : correlation.entrySet()) {
      if (!wanted.getValue().equals(event.correlation().get(wanted.getKey()))) {
        return false;
      }
    }
    if (!event.correlation().tags().containsAll(tags)) {
      return false;
    }
    return labels.isEmpty()
        || (event instanceof MetricEvent metric
            && metric.labels().entrySet().containsAll(labels.entrySet()));
  }
}
