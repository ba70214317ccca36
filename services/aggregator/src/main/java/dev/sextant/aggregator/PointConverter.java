package dev.sextant.aggregator;

import dev.sextant.model.HistogramPoint;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import dev.sextant.protocol.pipeline.v1.Histogram;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.storage.query.LabelMatcher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one wire point into what the metric store takes, or says why it cannot be represented.
 * Stateless; the series identity (tenant, name, sorted labels; DESIGN §2.4) comes from {@link
 * MetricSeries} and {@link Labels}, so labels sent in any order make the same series.
 *
 * <p>Delta points are stored as they come, with temporality {@code DELTA} on their series; turning
 * them into cumulative series is the aggregator's next step and not done here yet.
 */
final class PointConverter {
  /** Sanity bounds, far above what ingest's guardrails let through; not the guardrails. */
  static final int MAX_NAME_LENGTH = 1024;

  static final int MAX_LABELS = 256;

  /** The outcome for one point. */
  sealed interface Result {}

  record Converted(MetricWrite write) implements Result {}

  record Rejected(PointRejection reason, String message) implements Result {}

  Result convert(String tenant, MetricPoint point) {
    String name = point.getName();
    try {
      if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
        throw new Invalid(
            PointRejection.INVALID_NAME,
            "metric name must be 1 to " + MAX_NAME_LENGTH + " characters");
      }
      MetricType type = typeOf(point);
      Temporality temporality = temporalityOf(type, point);
      long time = point.getTimeUnixNano();
      long start = point.getStartTimeUnixNano();
      // fixed64 arrives as a signed long: a negative value is a time past the year 2262.
      if (time <= 0 || start < 0 || start > time) {
        throw new Invalid(
            PointRejection.INVALID_TIMESTAMP,
            "time must be set and not before the start time (start "
                + Long.toUnsignedString(start)
                + ", time "
                + Long.toUnsignedString(time)
                + ")");
      }
      Labels labels = labelsOf(point.getLabelsList());
      dev.sextant.model.MetricPoint converted =
          switch (type) {
            case COUNTER, UP_DOWN_COUNTER, GAUGE, UNKNOWN -> numberPoint(type, point, start, time);
            case HISTOGRAM -> histogramPoint(point, start, time);
            case EXPONENTIAL_HISTOGRAM, SUMMARY ->
                throw new Invalid(
                    PointRejection.UNSUPPORTED_TYPE, type + " points are not supported yet");
          };
      MetricSeries series =
          new MetricSeries(
              tenant, name, labels, type, temporality, point.getUnit(), point.getDescription());
      return new Converted(new MetricWrite(series, converted));
    } catch (Invalid invalid) {
      return new Rejected(
          invalid.reason, "metric '" + abbreviate(name) + "': " + invalid.getMessage());
    }
  }

  private static MetricType typeOf(MetricPoint point) throws Invalid {
    return switch (point.getType()) {
      case METRIC_TYPE_COUNTER -> MetricType.COUNTER;
      case METRIC_TYPE_UP_DOWN_COUNTER -> MetricType.UP_DOWN_COUNTER;
      case METRIC_TYPE_GAUGE -> MetricType.GAUGE;
      case METRIC_TYPE_HISTOGRAM -> MetricType.HISTOGRAM;
      case METRIC_TYPE_EXPONENTIAL_HISTOGRAM -> MetricType.EXPONENTIAL_HISTOGRAM;
      case METRIC_TYPE_SUMMARY -> MetricType.SUMMARY;
      case METRIC_TYPE_UNKNOWN -> MetricType.UNKNOWN;
      case METRIC_TYPE_UNSPECIFIED, UNRECOGNIZED ->
          throw new Invalid(
              PointRejection.UNKNOWN_TYPE, "unknown metric type " + point.getTypeValue());
    };
  }

  /** Gauges have no temporality, whatever was sent; sums and histograms must say which. */
  private static Temporality temporalityOf(MetricType type, MetricPoint point) throws Invalid {
    return switch (type) {
      case GAUGE, SUMMARY, UNKNOWN -> Temporality.NONE;
      case COUNTER, UP_DOWN_COUNTER, HISTOGRAM, EXPONENTIAL_HISTOGRAM ->
          switch (point.getTemporality()) {
            case TEMPORALITY_CUMULATIVE -> Temporality.CUMULATIVE;
            case TEMPORALITY_DELTA -> Temporality.DELTA;
            case TEMPORALITY_NONE, UNRECOGNIZED ->
                throw new Invalid(
                    PointRejection.INVALID_TEMPORALITY,
                    "a " + type + " needs CUMULATIVE or DELTA temporality");
          };
    };
  }

  /**
   * The label set. Empty values are dropped: in Prometheus a label with an empty value is the same
   * as no label, and keeping it would make two series that PromQL cannot tell apart.
   */
  private static Labels labelsOf(List<Label> labels) throws Invalid {
    if (labels.size() > MAX_LABELS) {
      throw new Invalid(PointRejection.INVALID_LABELS, "more than " + MAX_LABELS + " labels");
    }
    Map<String, String> byName = new HashMap<>(labels.size() * 2);
    for (Label label : labels) {
      String labelName = label.getName();
      if (labelName.isEmpty() || labelName.length() > MAX_NAME_LENGTH) {
        throw new Invalid(
            PointRejection.INVALID_LABELS,
            "label names must be 1 to " + MAX_NAME_LENGTH + " characters");
      }
      if (LabelMatcher.METRIC_NAME.equals(labelName)) {
        throw new Invalid(
            PointRejection.INVALID_LABELS,
            "the label name " + LabelMatcher.METRIC_NAME + " is reserved for the metric name");
      }
      if (byName.put(labelName, label.getValue()) != null) {
        throw new Invalid(
            PointRejection.INVALID_LABELS, "duplicate label '" + abbreviate(labelName) + "'");
      }
    }
    byName.values().removeIf(String::isEmpty);
    return Labels.of(byName);
  }

  private static NumberPoint numberPoint(MetricType type, MetricPoint point, long start, long time)
      throws Invalid {
    if (point.getValueCase() != MetricPoint.ValueCase.NUMBER) {
      throw new Invalid(
          PointRejection.INVALID_VALUE,
          "a " + type + " needs a number, got " + point.getValueCase());
    }
    double value = point.getNumber();
    boolean sum = type == MetricType.COUNTER || type == MetricType.UP_DOWN_COUNTER;
    // A gauge or an untyped (remote-written) sample may be NaN: Prometheus's staleness marker is
    // a NaN whose bits must reach the store unchanged, and NaN is a value gauges may report.
    if (sum && Double.isNaN(value)) {
      throw new Invalid(PointRejection.NAN_VALUE, "value is NaN");
    }
    if (sum && Double.isInfinite(value)) {
      throw new Invalid(PointRejection.INFINITE_SUM, "a " + type + " cannot be " + value);
    }
    if (type == MetricType.COUNTER && value < 0) {
      throw new Invalid(
          PointRejection.NEGATIVE_COUNTER, "a counter is monotonic and cannot be " + value);
    }
    return new NumberPoint(start, time, value);
  }

  private static HistogramPoint histogramPoint(MetricPoint point, long start, long time)
      throws Invalid {
    if (point.getValueCase() != MetricPoint.ValueCase.HISTOGRAM) {
      throw new Invalid(
          PointRejection.INVALID_VALUE,
          "a HISTOGRAM needs a histogram, got " + point.getValueCase());
    }
    Histogram h = point.getHistogram();
    if (Double.isNaN(h.getSum())) {
      throw new Invalid(PointRejection.NAN_VALUE, "histogram sum is NaN");
    }
    if (Double.isInfinite(h.getSum())) {
      throw new Invalid(PointRejection.INFINITE_SUM, "histogram sum is " + h.getSum());
    }
    double[] bounds = new double[h.getBoundsCount()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = h.getBounds(i);
      if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
        throw new Invalid(
            PointRejection.INVALID_HISTOGRAM, "bounds must be finite and strictly increasing");
      }
    }
    if (h.getBucketCountsCount() != bounds.length + 1) {
      throw new Invalid(
          PointRejection.INVALID_HISTOGRAM,
          bounds.length
              + " bounds need "
              + (bounds.length + 1)
              + " bucket counts, got "
              + h.getBucketCountsCount());
    }
    long[] counts = new long[h.getBucketCountsCount()];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = h.getBucketCounts(i);
      total += counts[i];
      // uint64 above 2^63 arrives negative; no real histogram counts that far.
      if (counts[i] < 0 || total < 0) {
        throw new Invalid(PointRejection.INVALID_HISTOGRAM, "bucket counts out of range");
      }
    }
    if (h.getCount() != total) {
      throw new Invalid(
          PointRejection.INVALID_HISTOGRAM,
          "count "
              + Long.toUnsignedString(h.getCount())
              + " is not the sum of the bucket counts ("
              + total
              + ")");
    }
    if (h.getMin() > h.getMax()) {
      throw new Invalid(PointRejection.INVALID_HISTOGRAM, "min is above max");
    }
    return new HistogramPoint(
        start, time, h.getCount(), h.getSum(), h.getMin(), h.getMax(), bounds, counts);
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  /** Thrown inside the converter only; cheap (no stack trace), since bad points are routine. */
  private static final class Invalid extends Exception {
    final PointRejection reason;

    Invalid(PointRejection reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }
}
