package dev.sextant.query.mastra;

import dev.sextant.model.Correlation;
import dev.sextant.model.MetricEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Mastra's metric OLAP (aggregate, breakdown, time series, percentiles) over raw metric events,
 * with the semantics of its PostgreSQL store (reference §5.6): sum, avg, min, max, count,
 * count_distinct of a column, last; cost summed over the same events with a unit only when there is
 * exactly one; buckets UTC-aligned, only non-empty ones returned; percentiles exact and
 * interpolated. Group keys that are no event column are label keys.
 */
final class MetricOlap {
  private MetricOlap() {}

  static Double aggregate(List<MetricEvent> events, String aggregation, String distinctColumn) {
    if (events.isEmpty()) {
      return aggregation.equals("count") || aggregation.equals("count_distinct") ? 0.0 : null;
    }
    return switch (aggregation) {
      case "sum" -> events.stream().mapToDouble(MetricEvent::value).sum();
      case "avg" -> events.stream().mapToDouble(MetricEvent::value).average().orElse(0);
      case "min" -> events.stream().mapToDouble(MetricEvent::value).min().orElse(0);
      case "max" -> events.stream().mapToDouble(MetricEvent::value).max().orElse(0);
      case "count" -> (double) events.size();
      case "count_distinct" -> {
        Set<String> distinct = new HashSet<>();
        for (MetricEvent e : events) {
          String value = column(e, distinctColumn == null ? "name" : distinctColumn);
          if (value != null) {
            distinct.add(value);
          }
        }
        yield (double) distinct.size();
      }
      case "last" ->
          events.stream()
              .max(Comparator.comparingLong(MetricEvent::timeUnixNanos))
              .map(MetricEvent::value)
              .orElse(null);
      default -> throw new IllegalArgumentException("unknown aggregation: " + aggregation);
    };
  }

  /** Cost total and unit of the events, as {@code estimatedCost} and {@code costUnit}. */
  static JsonObject cost(List<MetricEvent> events, JsonObject into) {
    Double total = null;
    Set<String> units = new HashSet<>();
    for (MetricEvent e : events) {
      if (e.cost().estimatedCost() != null) {
        total = (total == null ? 0 : total) + e.cost().estimatedCost();
        if (!e.cost().unit().isEmpty()) {
          units.add(e.cost().unit());
        }
      }
    }
    return into.put("estimatedCost", total)
        .put("costUnit", units.size() == 1 ? units.iterator().next() : null);
  }

  /** The value of a typed column or, for other keys, of a label; null when absent. */
  static String column(MetricEvent e, String key) {
    return switch (key) {
      case "name" -> e.name();
      case "traceId" -> e.traceId().isEmpty() ? null : e.traceId();
      case "spanId" -> e.spanId().isEmpty() ? null : e.spanId();
      case "provider" -> e.cost().provider().isEmpty() ? null : e.cost().provider();
      case "model" -> e.cost().model().isEmpty() ? null : e.cost().model();
      case "costUnit" -> e.cost().unit().isEmpty() ? null : e.cost().unit();
      case "metricId" -> e.id();
      case "executionSource" -> e.correlation().get(Correlation.SOURCE);
      default -> Correlation.KEYS.contains(key) ? e.correlation().get(key) : e.labels().get(key);
    };
  }

  static JsonObject breakdown(
      List<MetricEvent> events,
      List<String> groupBy,
      String aggregation,
      String distinct,
      int limit,
      boolean ascending) {
    Map<List<String>, List<MetricEvent>> groups = group(events, groupBy);
    List<JsonObject> rows = new ArrayList<>();
    groups.forEach(
        (key, members) -> {
          JsonObject dimensions = new JsonObject();
          for (int i = 0; i < groupBy.size(); i++) {
            dimensions.put(groupBy.get(i), key.get(i));
          }
          Double value = aggregate(members, aggregation, distinct);
          rows.add(
              cost(
                  members,
                  new JsonObject()
                      .put("dimensions", dimensions)
                      .put("value", value == null ? 0 : value)));
        });
    Comparator<JsonObject> byValue = Comparator.comparingDouble(r -> r.getDouble("value"));
    rows.sort(ascending ? byValue : byValue.reversed());
    return new JsonObject()
        .put("groups", new JsonArray(rows.subList(0, Math.min(limit, rows.size()))));
  }

  /**
   * Events grouped by the keys' values; events missing a key are left out (as the PostgreSQL store
   * leaves out rows whose label is missing).
   */
  private static Map<List<String>, List<MetricEvent>> group(
      List<MetricEvent> events, List<String> keys) {
    Map<List<String>, List<MetricEvent>> groups = new LinkedHashMap<>();
    for (MetricEvent e : events) {
      List<String> key = new ArrayList<>(keys.size());
      boolean complete = true;
      for (String k : keys) {
        String value = column(e, k);
        if (value == null && !Correlation.KEYS.contains(k) && !isColumn(k)) {
          complete = false;
          break;
        }
        key.add(value);
      }
      if (complete) {
        groups.computeIfAbsent(key, x -> new ArrayList<>()).add(e);
      }
    }
    return groups;
  }

  private static boolean isColumn(String key) {
    return switch (key) {
      case "name",
          "traceId",
          "spanId",
          "provider",
          "model",
          "costUnit",
          "metricId",
          "executionSource" ->
          true;
      default -> false;
    };
  }

  static long intervalNanos(String interval) {
    return switch (interval) {
      case "1m" -> 60_000_000_000L;
      case "5m" -> 300_000_000_000L;
      case "15m" -> 900_000_000_000L;
      case "1h" -> 3_600_000_000_000L;
      case "1d" -> 86_400_000_000_000L;
      default -> throw new IllegalArgumentException("interval must be 1m, 5m, 15m, 1h or 1d");
    };
  }

  static JsonObject timeSeries(
      List<MetricEvent> events,
      List<String> names,
      String interval,
      String aggregation,
      String distinct,
      List<String> groupBy) {
    long step = intervalNanos(interval);
    Map<List<String>, List<MetricEvent>> series =
        groupBy.isEmpty()
            ? Map.of(List.of(String.join("|", names)), events)
            : group(events, groupBy);
    JsonArray out = new JsonArray();
    series.forEach(
        (key, members) -> {
          TreeMap<Long, List<MetricEvent>> buckets = buckets(members, step);
          JsonArray points = new JsonArray();
          buckets.forEach(
              (bucket, inBucket) -> {
                Double value = aggregate(inBucket, aggregation, distinct);
                points.add(
                    cost(
                            inBucket,
                            new JsonObject()
                                .put("timestamp", Instant.ofEpochSecond(0, bucket).toString())
                                .put("value", value == null ? 0 : value))
                        .copy());
              });
          JsonObject s =
              new JsonObject()
                  .put("name", String.join("|", key.stream().map(String::valueOf).toList()))
                  .put("points", points);
          out.add(s.put("costUnit", cost(members, new JsonObject()).getString("costUnit")));
        });
    // The per-point unit is carried by the series; points keep estimatedCost only.
    out.forEach(
        s ->
            ((JsonObject) s)
                .getJsonArray("points")
                .forEach(p -> ((JsonObject) p).remove("costUnit")));
    return new JsonObject().put("series", out);
  }

  /** One series per requested percentile, a point per bucket, from the store's percentiles. */
  static JsonObject percentiles(NavigableMap<Long, double[]> buckets, double[] levels) {
    JsonArray series = new JsonArray();
    for (int i = 0; i < levels.length; i++) {
      int level = i;
      JsonArray points = new JsonArray();
      buckets.forEach(
          (bucket, values) ->
              points.add(
                  new JsonObject()
                      .put("timestamp", Instant.ofEpochSecond(0, bucket).toString())
                      .put("value", values[level])));
      series.add(new JsonObject().put("percentile", levels[i]).put("points", points));
    }
    return new JsonObject().put("series", series);
  }

  private static TreeMap<Long, List<MetricEvent>> buckets(List<MetricEvent> events, long step) {
    TreeMap<Long, List<MetricEvent>> buckets = new TreeMap<>();
    for (MetricEvent e : events) {
      buckets
          .computeIfAbsent(Math.floorDiv(e.timeUnixNanos(), step) * step, b -> new ArrayList<>())
          .add(e);
    }
    return buckets;
  }
}
