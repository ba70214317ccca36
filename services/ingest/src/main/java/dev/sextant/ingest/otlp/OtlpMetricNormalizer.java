package dev.sextant.ingest.otlp;

import dev.sextant.ingest.pipeline.SeriesCatalog;
import dev.sextant.ingest.pipeline.StreamPoint;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * OTLP metrics into the points streamed to the aggregator.
 *
 * <ul>
 *   <li>Sum monotonic: COUNTER; non-monotonic: UP_DOWN_COUNTER; Gauge: GAUGE; Histogram (explicit
 *       buckets): HISTOGRAM; ExponentialHistogram: EXPONENTIAL_HISTOGRAM (buckets as sent);
 *       Summary: SUMMARY. Temporality is kept (delta or cumulative; the aggregator turns deltas
 *       into cumulative series); a sum or histogram without one is rejected.
 *   <li>Labels: the point's attributes as text, plus the promoted resource attributes (a point
 *       attribute of the same name wins); labels with an empty value are left out, as PromQL reads
 *       an empty label as an absent one. Metric and label names stay as OTLP sends them.
 *   <li>Rejected per point, named in the partial success: NaN values (and NaN histogram sums,
 *       minimums, maximums); infinite values of counters and up-down counters and infinite
 *       histogram sums (gauges may be infinite); points without a value or time, with times out of
 *       range, histograms whose buckets do not add up, exponential histograms with a scale outside
 *       -10..20 or counts that do not add up, summaries with quantiles outside [0, 1].
 *   <li>A number point flagged "no recorded value" (a series gone stale) is stored as Prometheus's
 *       staleness marker; a histogram or summary point so flagged has nothing to store and is
 *       rejected.
 *   <li>A histogram without {@code sum} gets NaN as its sum (unknown); one without buckets becomes
 *       a single +Inf bucket holding its count. Exemplars are not kept.
 * </ul>
 */
public final class OtlpMetricNormalizer {
  /** OTLP's DataPointFlags.FLAG_NO_RECORDED_VALUE_MASK. */
  private static final int NO_RECORDED_VALUE = 1;

  /** Prometheus's staleness marker: a NaN with this exact bit pattern. */
  static final double STALE_MARKER = Double.longBitsToDouble(0x7ff0000000000002L);

  private final LimitSettings limits;
  private final Duration maxSkew;
  private final List<String> promotedResourceAttributes;
  private final SeriesCatalog catalog;

  /** Points are made in their reference form where {@code catalog} gives their series a ref. */
  public OtlpMetricNormalizer(
      LimitSettings limits,
      Duration maxSkew,
      List<String> promotedResourceAttributes,
      SeriesCatalog catalog) {
    this.limits = limits;
    this.maxSkew = maxSkew;
    this.promotedResourceAttributes = List.copyOf(promotedResourceAttributes);
    this.catalog = catalog;
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

  public Normalized<StreamPoint> normalize(
      String tenant, ExportMetricsServiceRequest request, long nowUnixNanos) {
    Conversion conversion = new Conversion(tenant, TimeWindow.of(nowUnixNanos, maxSkew));
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
    final List<StreamPoint> points = new ArrayList<>();
    final Rejections rejections = new Rejections();
    final Truncations truncations = new Truncations();
    final AttributeReader reader = new AttributeReader(limits, truncations);
    final PointLabels labels = new PointLabels(reader);
    final String tenant;
    final TimeWindow window;
    int received;

    /** The series of the point being built, or null when it is built whole. */
    SeriesCatalog.Series series;

    Conversion(String tenant, TimeWindow window) {
      this.tenant = tenant;
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
        case EXPONENTIAL_HISTOGRAM -> {
          var histogram = metric.getExponentialHistogram();
          template.setType(MetricType.METRIC_TYPE_EXPONENTIAL_HISTOGRAM);
          if (withTemporality(template, histogram.getAggregationTemporality(), count)) {
            histogram
                .getDataPointsList()
                .forEach(p -> exponentialHistogram(template, p, resourceLabels));
          }
        }
        case SUMMARY -> {
          template
              .setType(MetricType.METRIC_TYPE_SUMMARY)
              .setTemporality(Temporality.TEMPORALITY_NONE);
          metric
              .getSummary()
              .getDataPointsList()
              .forEach(p -> summary(template, p, resourceLabels));
        }
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
      Problem problem = checkTimes(point.getStartTimeUnixNano(), point.getTimeUnixNano());
      if (problem == null && (point.getFlags() & NO_RECORDED_VALUE) != 0) {
        // The series went stale (OTLP's form of Prometheus's staleness marker): store the marker,
        // so PromQL stops returning the series from here as Prometheus would.
        add(
            point(template, point.getAttributesList(), resourceLabels)
                .setStartTimeUnixNano(point.getStartTimeUnixNano())
                .setTimeUnixNano(point.getTimeUnixNano())
                .setNumber(STALE_MARKER));
        return;
      }
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
      add(
          point(template, point.getAttributesList(), resourceLabels)
              .setStartTimeUnixNano(point.getStartTimeUnixNano())
              .setTimeUnixNano(point.getTimeUnixNano())
              .setNumber(value));
    }

    private void histogram(
        MetricPoint.Builder template,
        HistogramDataPoint point,
        Map<String, String> resourceLabels) {
      add(
          template,
          point.getAttributesList(),
          resourceLabels,
          point.getStartTimeUnixNano(),
          point.getTimeUnixNano(),
          point.getFlags(),
          () -> HistogramCheck.check(point),
          p -> p.setHistogram(HistogramCheck.toHistogram(point)));
    }

    private void exponentialHistogram(
        MetricPoint.Builder template,
        ExponentialHistogramDataPoint point,
        Map<String, String> resourceLabels) {
      add(
          template,
          point.getAttributesList(),
          resourceLabels,
          point.getStartTimeUnixNano(),
          point.getTimeUnixNano(),
          point.getFlags(),
          () -> ExponentialHistogramCheck.check(point),
          p -> p.setExponentialHistogram(ExponentialHistogramCheck.toExponentialHistogram(point)));
    }

    private void summary(
        MetricPoint.Builder template, SummaryDataPoint point, Map<String, String> resourceLabels) {
      add(
          template,
          point.getAttributesList(),
          resourceLabels,
          point.getStartTimeUnixNano(),
          point.getTimeUnixNano(),
          point.getFlags(),
          () -> SummaryCheck.check(point),
          p -> p.setSummary(SummaryCheck.toSummary(point)));
    }

    /** Checks a point's times, flags and value; adds it, or rejects it naming the problem. */
    private void add(
        MetricPoint.Builder template,
        List<KeyValue> attributes,
        Map<String, String> resourceLabels,
        long start,
        long time,
        int flags,
        Supplier<Problem> check,
        Consumer<MetricPoint.Builder> value) {
      Problem problem = checkPoint(start, time, flags);
      if (problem == null) {
        problem = check.get();
      }
      if (problem != null) {
        reject(template, problem);
        return;
      }
      MetricPoint.Builder point =
          point(template, attributes, resourceLabels)
              .setStartTimeUnixNano(start)
              .setTimeUnixNano(time);
      value.accept(point);
      add(point);
    }

    /**
     * A point of the metric: in reference form (its series' ref) when the catalog gives its series
     * one, else whole (name, type and labels); the caller sets times and value, then adds it.
     */
    private MetricPoint.Builder point(
        MetricPoint.Builder template,
        List<KeyValue> attributes,
        Map<String, String> resourceLabels) {
      labels.of(template, attributes, resourceLabels);
      series = catalog.find(tenant, labels);
      if (series != null) {
        return MetricPoint.newBuilder().setSeriesRef(series.ref());
      }
      return template.clone().addAllLabels(labels.toList());
    }

    /** Adds the point just built by {@link #point}. */
    private void add(MetricPoint.Builder point) {
      points.add(new StreamPoint(series, point.build()));
    }

    private Problem checkTimes(long start, long time) {
      Problem problem = window.checkRequired(time, "time");
      if (problem == null) {
        problem = window.checkOptional(start, "start time");
      }
      if (problem == null && start > time) {
        problem = new Problem(RejectReason.END_BEFORE_START, "time is before start time");
      }
      return problem;
    }

    private Problem checkPoint(long start, long time, int flags) {
      Problem problem = checkTimes(start, time);
      if (problem == null && (flags & NO_RECORDED_VALUE) != 0) {
        problem = new Problem(RejectReason.NO_RECORDED_VALUE, "flagged as no recorded value");
      }
      return problem;
    }

    private void reject(MetricPoint.Builder template, Problem problem) {
      rejections.reject(
          problem.reason(), "metric '" + template.getName() + "': " + problem.detail());
    }
  }

  /**
   * A histogram's optional sum (finite), minimum and maximum (NaN never, infinity allowed); null
   * when they are fine.
   */
  static Problem checkSumMinMax(
      boolean hasSum, double sum, boolean hasMin, double min, boolean hasMax, double max) {
    Problem problem = hasSum ? checkDouble(sum, "sum", false) : null;
    if (problem == null && hasMin) {
      problem = checkDouble(min, "min", true);
    }
    if (problem == null && hasMax) {
      problem = checkDouble(max, "max", true);
    }
    return problem;
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
}
