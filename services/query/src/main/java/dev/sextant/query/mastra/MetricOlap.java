package dev.sextant.query.mastra;

import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.rollup.ExactSum;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Mastra's metric OLAP answers (aggregate, breakdown, time series, percentiles), with the semantics
 * of its PostgreSQL store (reference §5.6), made of the totals a store computes per bucket and
 * group ({@link EventTotals}): sum (exact), avg, min, max, count, count_distinct of a key, last;
 * cost summed over the same events with a unit only when there is exactly one; buckets UTC-aligned,
 * only non-empty ones returned; groups in the order of their values; percentiles exact and
 * interpolated.
 */
final class MetricOlap {
  static final Set<String> AGGREGATIONS =
      Set.of("sum", "avg", "min", "max", "count", "count_distinct", "last");

  private MetricOlap() {}

  /** Refuses an aggregation Mastra does not offer, before anything is read. */
  static String aggregation(JsonObject request) {
    String aggregation = request.getString("aggregation", "sum");
    if (!AGGREGATIONS.contains(aggregation)) {
      throw new IllegalArgumentException("unknown aggregation: " + aggregation);
    }
    return aggregation;
  }

  /** The aggregation of one bucket and group. */
  static double value(EventTotals totals, String aggregation) {
    return switch (aggregation) {
      case "sum" -> totals.sum().value();
      case "avg" -> totals.average();
      case "min" -> totals.min();
      case "max" -> totals.max();
      case "count" -> totals.count();
      case "count_distinct" -> totals.distinct();
      case "last" -> totals.last();
      default -> throw new IllegalArgumentException("unknown aggregation: " + aggregation);
    };
  }

  /** The aggregation of totals made in one bucket and one group: 0 or null when there are none. */
  static Double total(List<EventTotals> totals, String aggregation) {
    if (totals.isEmpty()) {
      return aggregation.equals("count") || aggregation.equals("count_distinct") ? 0.0 : null;
    }
    return value(totals.getFirst(), aggregation);
  }

  /** Cost total and unit of the totals' events, as {@code estimatedCost} and {@code costUnit}. */
  static JsonObject cost(List<EventTotals> totals, JsonObject into) {
    ExactSum total = null;
    Set<String> units = new TreeSet<>();
    for (EventTotals t : totals) {
      if (t.cost() != null) {
        total = total == null ? t.cost() : total.plus(t.cost());
        units.addAll(t.costUnits());
      }
    }
    return into.put("estimatedCost", total == null ? null : total.value())
        .put("costUnit", units.size() == 1 ? units.iterator().next() : null);
  }

  static JsonObject breakdown(
      List<EventTotals> totals,
      List<String> groupBy,
      String aggregation,
      int limit,
      boolean ascending) {
    List<JsonObject> rows = new ArrayList<>();
    for (EventTotals group : totals) {
      JsonObject dimensions = new JsonObject();
      for (int i = 0; i < groupBy.size(); i++) {
        dimensions.put(groupBy.get(i), group.group().get(i));
      }
      rows.add(
          cost(
              List.of(group),
              new JsonObject()
                  .put("dimensions", dimensions)
                  .put("value", value(group, aggregation))));
    }
    // Stable: equal values keep the groups' order.
    Comparator<JsonObject> byValue = Comparator.comparingDouble(r -> r.getDouble("value"));
    rows.sort(ascending ? byValue : byValue.reversed());
    return new JsonObject()
        .put("groups", new JsonArray(rows.subList(0, Math.min(limit, rows.size()))));
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

  /** One series per group (named by its values, or by the metric names when not grouped). */
  static JsonObject timeSeries(
      List<EventTotals> totals, List<String> names, String aggregation, List<String> groupBy) {
    Map<List<String>, List<EventTotals>> series = new TreeMap<>(EventTotals.GROUP_ORDER);
    for (EventTotals t : totals) {
      series.computeIfAbsent(t.group(), g -> new ArrayList<>()).add(t);
    }
    if (groupBy.isEmpty() && series.isEmpty()) {
      series.put(List.of(), List.of()); // the names' series, without points
    }
    JsonArray out = new JsonArray();
    series.forEach(
        (group, buckets) -> {
          JsonArray points = new JsonArray();
          for (EventTotals bucket : buckets) {
            points.add(
                new JsonObject()
                    .put("timestamp", Instant.ofEpochSecond(0, bucket.bucket()).toString())
                    .put("value", value(bucket, aggregation))
                    .put(
                        "estimatedCost",
                        cost(List.of(bucket), new JsonObject()).getValue("estimatedCost")));
          }
          String name =
              groupBy.isEmpty()
                  ? String.join("|", names)
                  : String.join("|", group.stream().map(String::valueOf).toList());
          out.add(
              new JsonObject()
                  .put("name", name)
                  .put("points", points)
                  .put("costUnit", cost(buckets, new JsonObject()).getString("costUnit")));
        });
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
}
