package dev.sextant.ingest.otlp;

import dev.sextant.protocol.pipeline.v1.Histogram;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OTLP metrics into the points streamed to the aggregator.
 *
 * <ul>
 *   <li>Sum monotonic: COUNTER; non-monotonic: UP_DOWN_COUNTER; Gauge: GAUGE; Histogram (explicit
 *       buckets): HISTOGRAM. Temporality is kept (delta or cumulative); a sum or histogram without
 *       one is rejected.
 *   <li>Labels: the point's attributes as text, plus the promoted resource attributes (a point
 *       attribute of the same name wins); labels with an empty value are left out, as PromQL reads
 *       an empty label as an absent one. Metric and label names stay as OTLP sends them.
 *   <li>Rejected per point, named in the partial success: NaN values (and NaN histogram sums,
 *       minimums, maximums); infinite values of counters and up-down counters and infinite
 *       histogram sums (gauges may be infinite); points without a value or time, with times out of
 *       range, flagged with no recorded value, or histograms whose buckets do not add up.
 *   <li>Exponential histograms and summaries are not supported yet: every such point is rejected,
 *       loudly, never dropped after a success.
 *   <li>A histogram without {@code sum} gets NaN as its sum (unknown); one without buckets becomes
 *       a single +Inf bucket holding its count. Exemplars are not kept.
 * </ul>
 */
public final class OtlpMetricNormalizer {
  /** OTLP's DataPointFlags.FLAG_NO_RECORDED_VALUE_MASK. */
  private static final int NO_RECORDED_VALUE = 1;

  private final LimitSettings limits;
  private final Duration maxSkew;
  private final List<String> promotedResourceAttributes;

  public OtlpMetricNormalizer(
      LimitSettings limits, Duration maxSkew, List<String> promotedResourceAttributes) {
    this.limits = limits;
    this.maxSkew = maxSkew;
    this.promotedResourceAttributes = List.copyOf(promotedResourceAttributes);
  }

  /** Number of data points in a request, of every type, for admission before any work is done. */
  public static int count(ExportMetricsServiceRequest request) {
    int count = 0;
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scopeMetrics.getMetricsList()) {
          count += points(metric);
        }
      }
    }
    return count;
  }

  public Normalized<MetricPoint> normalize(ExportMetricsServiceRequest request, long nowUnixNanos) {
    Conversion conversion = new Conversion(TimeWindow.of(nowUnixNanos, maxSkew));
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      ResourceInfo resource = ResourceInfo.read(resourceMetrics.getResource(), conversion.reader);
      Map<String, String> resourceLabels = promoted(resource, conversion.reader);
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scopeMetrics.getMetricsList()) {
          conversion.metric(metric, resourceLabels);
        }
      }
    }
    return new Normalized<>(
        conversion.points, conversion.received, conversion.rejections, conversion.truncations);
  }

  private Map<String, String> promoted(ResourceInfo resource, AttributeReader reader) {
    Map<String, String> labels = new TreeMap<>();
    for (String name : promotedResourceAttributes) {
      Object value = resource.attributes().get(name);
      if (value != null) {
        labels.put(name, reader.text(LabelText.of(value)));
      }
    }
    return labels;
  }

  private static int points(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  /** The state of one request's conversion. */
  private final class Conversion {
    final List<MetricPoint> points = new ArrayList<>();
    final Rejections rejections = new Rejections();
    final Truncations truncations = new Truncations();
    final AttributeReader reader = new AttributeReader(limits, truncations);
    final TimeWindow window;
    int received;

    Conversion(TimeWindow window) {
      this.window = window;
    }

    void metric(Metric metric, Map<String, String> resourceLabels) {
      int count = points(metric);
      received += count;
      String name = metric.getName();
      if (name.isEmpty()) {
        rejections.reject(RejectReason.MISSING_METRIC_NAME, "a metric has no name", count);
        return;
      }
      MetricPoint.Builder template =
          MetricPoint.newBuilder()
              .setName(name)
              .setUnit(reader.text(metric.getUnit()))
              .setDescription(reader.text(metric.getDescription()));
      switch (metric.getDataCase()) {
        case GAUGE -> {
          template
              .setType(MetricType.METRIC_TYPE_GAUGE)
              .setTemporality(Temporality.TEMPORALITY_NONE);
          metric.getGauge().getDataPointsList().forEach(p -> number(template, p, resourceLabels));
        }
        case SUM -> {
          var sum = metric.getSum();
          template.setType(
              sum.getIsMonotonic()
                  ? MetricType.METRIC_TYPE_COUNTER
                  : MetricType.METRIC_TYPE_UP_DOWN_COUNTER);
          if (withTemporality(template, sum.getAggregationTemporality(), count)) {
            sum.getDataPointsList().forEach(p -> number(template, p, resourceLabels));
          }
        }
        case HISTOGRAM -> {
          var histogram = metric.getHistogram();
          template.setType(MetricType.METRIC_TYPE_HISTOGRAM);
          if (withTemporality(template, histogram.getAggregationTemporality(), count)) {
            histogram.getDataPointsList().forEach(p -> histogram(template, p, resourceLabels));
          }
        }
        case EXPONENTIAL_HISTOGRAM ->
            rejections.reject(
                RejectReason.UNSUPPORTED_METRIC_TYPE,
                "exponential histograms are not supported yet (metric '" + name + "')",
                count);
        case SUMMARY ->
            rejections.reject(
                RejectReason.UNSUPPORTED_METRIC_TYPE,
                "summaries are not supported yet (metric '" + name + "')",
                count);
        case DATA_NOT_SET -> {
          // No data, so no points: nothing to store and nothing to reject.
        }
      }
    }

    private boolean withTemporality(
        MetricPoint.Builder template, AggregationTemporality temporality, int count) {
      Temporality mapped =
          switch (temporality) {
            case AGGREGATION_TEMPORALITY_DELTA -> Temporality.TEMPORALITY_DELTA;
            case AGGREGATION_TEMPORALITY_CUMULATIVE -> Temporality.TEMPORALITY_CUMULATIVE;
            case AGGREGATION_TEMPORALITY_UNSPECIFIED, UNRECOGNIZED -> null;
          };
      if (mapped == null) {
        rejections.reject(
            RejectReason.MISSING_TEMPORALITY,
            "metric '" + template.getName() + "' has no aggregation temporality",
            count);
        return false;
      }
      template.setTemporality(mapped);
      return true;
    }

    private void number(
        MetricPoint.Builder template, NumberDataPoint point, Map<String, String> resourceLabels) {
      Problem problem =
          checkPoint(point.getStartTimeUnixNano(), point.getTimeUnixNano(), point.getFlags());
      double value = Double.NaN;
      if (problem == null) {
        switch (point.getValueCase()) {
          case AS_DOUBLE -> value = point.getAsDouble();
          case AS_INT -> value = point.getAsInt();
          case VALUE_NOT_SET -> problem = new Problem(RejectReason.MISSING_VALUE, "no value");
        }
      }
      if (problem == null) {
        boolean isGauge = template.getType() == MetricType.METRIC_TYPE_GAUGE;
        problem = checkDouble(value, "value", isGauge);
      }
      if (problem != null) {
        reject(template, problem);
        return;
      }
      points.add(
          point(template, point.getAttributesList(), resourceLabels)
              .setStartTimeUnixNano(point.getStartTimeUnixNano())
              .setTimeUnixNano(point.getTimeUnixNano())
              .setNumber(value)
              .build());
    }

    private void histogram(
        MetricPoint.Builder template,
        HistogramDataPoint point,
        Map<String, String> resourceLabels) {
      Problem problem =
          checkPoint(point.getStartTimeUnixNano(), point.getTimeUnixNano(), point.getFlags());
      if (problem == null) {
        problem = HistogramCheck.check(point);
      }
      if (problem != null) {
        reject(template, problem);
        return;
      }
      points.add(
          point(template, point.getAttributesList(), resourceLabels)
              .setStartTimeUnixNano(point.getStartTimeUnixNano())
              .setTimeUnixNano(point.getTimeUnixNano())
              .setHistogram(HistogramCheck.toHistogram(point))
              .build());
    }

    /** A point of the metric with its labels; the caller sets times and value. */
    private MetricPoint.Builder point(
        MetricPoint.Builder template,
        List<KeyValue> attributes,
        Map<String, String> resourceLabels) {
      return template.clone().addAllLabels(labels(attributes, resourceLabels));
    }

    private Problem checkPoint(long start, long time, int flags) {
      Problem problem = window.checkRequired(time, "time");
      if (problem == null) {
        problem = window.checkOptional(start, "start time");
      }
      if (problem == null && start > time) {
        problem = new Problem(RejectReason.END_BEFORE_START, "time is before start time");
      }
      if (problem == null && (flags & NO_RECORDED_VALUE) != 0) {
        problem = new Problem(RejectReason.NO_RECORDED_VALUE, "flagged as no recorded value");
      }
      return problem;
    }

    private void reject(MetricPoint.Builder template, Problem problem) {
      rejections.reject(
          problem.reason(), "metric '" + template.getName() + "': " + problem.detail());
    }

    private List<Label> labels(List<KeyValue> attributes, Map<String, String> resourceLabels) {
      Map<String, String> labels = new TreeMap<>(resourceLabels);
      reader
          .read(attributes, reader.newRecord())
          .values()
          .forEach((name, value) -> labels.put(name, reader.text(LabelText.of(value))));
      List<Label> list = new ArrayList<>(labels.size());
      labels.forEach(
          (name, value) -> {
            if (!value.isEmpty()) {
              list.add(Label.newBuilder().setName(name).setValue(value).build());
            }
          });
      return list;
    }
  }

  /** NaN is never a value; infinity is only allowed where {@code infinityAllowed}. */
  static Problem checkDouble(double value, String what, boolean infinityAllowed) {
    if (Double.isNaN(value)) {
      return new Problem(RejectReason.NAN_VALUE, what + " is NaN");
    }
    if (Double.isInfinite(value) && !infinityAllowed) {
      return new Problem(RejectReason.INFINITE_VALUE, what + " is infinite");
    }
    return null;
  }

  /** Histogram points: buckets that add up, bounds that increase, a finite sum. */
  private static final class HistogramCheck {
    private HistogramCheck() {}

    static Problem check(HistogramDataPoint point) {
      int buckets = point.getBucketCountsCount();
      int bounds = point.getExplicitBoundsCount();
      if (buckets != 0 && buckets != bounds + 1) {
        return invalid(buckets + " bucket counts for " + bounds + " bounds (need bounds + 1)");
      }
      double previous = Double.NEGATIVE_INFINITY;
      for (int i = 0; buckets != 0 && i < bounds; i++) {
        double bound = point.getExplicitBounds(i);
        if (!Double.isFinite(bound) || bound <= previous) {
          return invalid("bounds must be finite and strictly increasing");
        }
        previous = bound;
      }
      if (point.getCount() < 0) {
        return invalid("count is beyond the signed 64-bit range");
      }
      if (buckets != 0) {
        Problem problem = checkBucketSum(point);
        if (problem != null) {
          return problem;
        }
      }
      Problem problem = point.hasSum() ? checkDouble(point.getSum(), "sum", false) : null;
      if (problem == null && point.hasMin()) {
        problem = checkDouble(point.getMin(), "min", true);
      }
      if (problem == null && point.hasMax()) {
        problem = checkDouble(point.getMax(), "max", true);
      }
      return problem;
    }

    private static Problem checkBucketSum(HistogramDataPoint point) {
      long total = 0;
      for (long count : point.getBucketCountsList()) {
        if (count < 0) {
          return invalid("a bucket count is beyond the signed 64-bit range");
        }
        try {
          total = Math.addExact(total, count);
        } catch (ArithmeticException e) {
          return invalid("bucket counts overflow");
        }
      }
      if (total != point.getCount()) {
        return invalid("count " + point.getCount() + " is not the sum of bucket counts " + total);
      }
      return null;
    }

    static Histogram toHistogram(HistogramDataPoint point) {
      Histogram.Builder histogram =
          Histogram.newBuilder()
              .setCount(point.getCount())
              .setSum(point.hasSum() ? point.getSum() : Double.NaN)
              .setMin(point.hasMin() ? point.getMin() : Double.NaN)
              .setMax(point.hasMax() ? point.getMax() : Double.NaN);
      if (point.getBucketCountsCount() == 0) {
        // No buckets: one +Inf bucket holds every observation, so count stays queryable.
        return histogram.addBucketCounts(point.getCount()).build();
      }
      return histogram
          .addAllBounds(point.getExplicitBoundsList())
          .addAllBucketCounts(point.getBucketCountsList())
          .build();
    }

    private static Problem invalid(String detail) {
      return new Problem(RejectReason.INVALID_HISTOGRAM, detail);
    }
  }
}
