package dev.sextant.query.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sextant.model.MetricType;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.rollup.Rollup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The metric query API's four answers, from what {@link MetricQueries#read} read. Values without
 * data are null; times are Unix nanoseconds as decimal strings, as everywhere in the REST API.
 */
public final class MetricAnswers {
  private MetricAnswers() {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Aggregate(String metric, String type, String aggregation, Double value) {}

  public record GroupValue(Map<String, String> labels, Double value) {}

  public record Breakdown(
      String metric, String type, String aggregation, List<GroupValue> groups) {}

  public record Point(String timeUnixNano, Double value) {}

  public record Series(Map<String, String> labels, List<Point> points) {}

  public record TimeSeries(
      String metric, String type, String aggregation, String interval, List<Series> series) {}

  public record PercentileSeries(
      double percentile, Map<String, String> labels, List<Point> points) {}

  public record Percentiles(
      String metric, String type, String interval, List<PercentileSeries> series) {}

  public static Aggregate aggregate(MetricQuery query, MetricQueries.Read read) {
    if (!query.groupBy().isEmpty() || query.interval() != null) {
      throw RejectedRequestException.badInput(
          "an aggregate is one number: use breakdown for groupBy, timeseries for interval");
    }
    Double value = null;
    if (!read.groups().isEmpty()) {
      value = value(read, query, read.groups().getFirst().buckets().firstEntry().getValue());
    }
    return new Aggregate(query.metric(), type(read), read.aggregation().tag(), value);
  }

  public static Breakdown breakdown(MetricQuery query, MetricQueries.Read read) {
    if (query.groupBy().isEmpty() || query.interval() != null) {
      throw RejectedRequestException.badInput(
          "a breakdown needs groupBy and no interval (use timeseries for buckets over time)");
    }
    List<GroupValue> groups = new ArrayList<>();
    for (MetricQueries.Group g : read.groups()) {
      groups.add(
          new GroupValue(g.labels(), value(read, query, g.buckets().firstEntry().getValue())));
    }
    // Largest first, groups without a value last, as Mastra's breakdowns order them.
    groups.sort(
        Comparator.comparing(
            GroupValue::value, Comparator.nullsLast(Comparator.<Double>reverseOrder())));
    return new Breakdown(
        query.metric(),
        type(read),
        read.aggregation().tag(),
        List.copyOf(groups.subList(0, Math.min(query.limit(), groups.size()))));
  }

  public static TimeSeries timeSeries(MetricQuery query, MetricQueries.Read read) {
    requireInterval(query);
    List<Series> series = new ArrayList<>();
    for (MetricQueries.Group g : read.groups()) {
      List<Point> points = new ArrayList<>();
      g.buckets()
          .forEach(
              (start, rollups) ->
                  points.add(new Point(Long.toString(start), value(read, query, rollups))));
      series.add(new Series(g.labels(), points));
    }
    return new TimeSeries(
        query.metric(), type(read), read.aggregation().tag(), interval(query), series);
  }

  public static Percentiles percentiles(MetricQuery query, MetricQueries.Read read) {
    requireInterval(query);
    if (query.percentiles().isEmpty()) {
      throw RejectedRequestException.badInput("percentiles need at least one percentile=0..1");
    }
    List<PercentileSeries> series = new ArrayList<>();
    for (double q : query.percentiles()) {
      for (MetricQueries.Group g : read.groups()) {
        List<Point> points = new ArrayList<>();
        g.buckets()
            .forEach(
                (start, rollups) ->
                    points.add(
                        new Point(
                            Long.toString(start), finite(MetricValues.percentile(q, rollups)))));
        series.add(new PercentileSeries(q, g.labels(), points));
      }
    }
    return new Percentiles(query.metric(), type(read), interval(query), series);
  }

  private static Double value(MetricQueries.Read read, MetricQuery query, List<Rollup> rollups) {
    return finite(
        MetricValues.value(
            read.type(), read.aggregation(), rollups, MetricQueries.bucketSeconds(query)));
  }

  /** NaN (nothing to compute from) is null; infinities stay (Jackson writes them as strings). */
  private static Double finite(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static String type(MetricQueries.Read read) {
    MetricType type = read.type();
    return type == null ? null : type.name();
  }

  private static void requireInterval(MetricQuery query) {
    if (query.interval() == null) {
      throw RejectedRequestException.badInput("this answer needs interval=1m|5m|15m|1h|1d");
    }
  }

  private static String interval(MetricQuery query) {
    long minutes = query.interval().toMinutes();
    return minutes % 1440 == 0
        ? minutes / 1440 + "d"
        : minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
  }
}
