package dev.sextant.query.grpc;

import dev.sextant.protocol.query.v1.MetricBucket;
import dev.sextant.protocol.query.v1.MetricBuckets;
import dev.sextant.protocol.query.v1.QueryMetricRequest;
import dev.sextant.protocol.query.v1.QueryMetricResponse;
import dev.sextant.query.metrics.MetricAnswers;
import dev.sextant.query.metrics.MetricQueries;
import dev.sextant.query.metrics.MetricQuery;
import dev.sextant.service.errors.RejectedRequestException;
import java.util.List;
import java.util.Map;

/** The metric query API's answers as one proto shape: series of buckets per group. */
final class MetricProtoMapper {
  private MetricProtoMapper() {}

  static QueryMetricResponse answer(
      QueryMetricRequest.Kind kind, MetricQuery query, MetricQueries.Read read) {
    QueryMetricResponse.Builder response = QueryMetricResponse.newBuilder();
    switch (kind) {
      case KIND_AGGREGATE -> {
        MetricAnswers.Aggregate a = MetricAnswers.aggregate(query, read);
        head(response, a.type(), a.aggregation());
        response.addSeries(
            buckets(Map.of(), 0, List.of(new MetricAnswers.Point(start(query), a.value()))));
      }
      case KIND_BREAKDOWN -> {
        MetricAnswers.Breakdown b = MetricAnswers.breakdown(query, read);
        head(response, b.type(), b.aggregation());
        for (MetricAnswers.GroupValue g : b.groups()) {
          response.addSeries(
              buckets(g.labels(), 0, List.of(new MetricAnswers.Point(start(query), g.value()))));
        }
      }
      case KIND_TIMESERIES -> {
        MetricAnswers.TimeSeries t = MetricAnswers.timeSeries(query, read);
        head(response, t.type(), t.aggregation());
        for (MetricAnswers.Series s : t.series()) {
          response.addSeries(buckets(s.labels(), 0, s.points()));
        }
      }
      case KIND_PERCENTILES -> {
        MetricAnswers.Percentiles p = MetricAnswers.percentiles(query, read);
        head(response, p.type(), "");
        for (MetricAnswers.PercentileSeries s : p.series()) {
          response.addSeries(buckets(s.labels(), s.percentile(), s.points()));
        }
      }
      case KIND_UNSPECIFIED, UNRECOGNIZED ->
          throw RejectedRequestException.badInput(
              "kind must be KIND_AGGREGATE, KIND_BREAKDOWN, KIND_TIMESERIES or KIND_PERCENTILES");
    }
    return response.build();
  }

  private static void head(QueryMetricResponse.Builder response, String type, String aggregation) {
    response.setType(type == null ? "" : type).setAggregation(aggregation);
  }

  private static String start(MetricQuery query) {
    return Long.toString(query.range().startUnixNanos());
  }

  private static MetricBuckets buckets(
      Map<String, String> labels, double percentile, List<MetricAnswers.Point> points) {
    MetricBuckets.Builder series =
        MetricBuckets.newBuilder().putAllLabels(labels).setPercentile(percentile);
    for (MetricAnswers.Point p : points) {
      MetricBucket.Builder bucket =
          MetricBucket.newBuilder().setTimeUnixNano(Long.parseLong(p.timeUnixNano()));
      if (p.value() != null) {
        bucket.setValue(p.value());
      }
      series.addBuckets(bucket);
    }
    return series.build();
  }
}
