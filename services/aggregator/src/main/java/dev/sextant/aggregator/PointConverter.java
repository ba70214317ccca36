package dev.sextant.aggregator;

import dev.sextant.aggregator.guardrails.Guardrails;
import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.model.Temporality;
import dev.sextant.protocol.metrics.v1.ExponentialHistogram;
import dev.sextant.protocol.metrics.v1.Summary;
import dev.sextant.protocol.pipeline.v1.Histogram;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.storage.query.LabelMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one wire point into the model, or says why it cannot be represented. Stateless; the series
 * identity (tenant, name, sorted labels; DESIGN §2.4) comes from {@link MetricSeries} and {@link
 * Labels}, so labels sent in any order make the same series.
 *
 * <p>The series it returns carries the temporality that will be <em>stored</em>: delta sums and
 * histograms become cumulative series ({@link DeltaToCumulative} does the arithmetic); the
 * temporality as received travels beside it for the metadata checks.
 */
final class PointConverter {
  /** Sanity bounds, far above what ingest's guardrails let through; not the guardrails. */
  static final int MAX_NAME_LENGTH = 1024;

  static final int MAX_LABELS = 256;

  /** Prometheus's staleness marker, the one NaN a number point may carry. */
  static final long STALE_MARKER_BITS = 0x7ff0000000000002L;

  /**
   * Metric and label names seen again and again, one String each: every series the aggregator and
   * its store keep in memory holds its names, and a decoded point brings fresh copies.
   */
  private static final Canonical<String> NAMES = new Canonical<>(100_000);

  /**
   * Short label values, units and descriptions, one String each: values repeat across the series of
   * a metric (a service, a model, an instance), and each series kept its own copies — a quarter of
   * the aggregator's memory per series. Long texts are left alone, so that the pool stays small.
   */
  private static final Canonical<String> VALUES = new Canonical<>(200_000);

  private static final int MAX_SHARED_VALUE_LENGTH = 64;

  private static String shared(String value) {
    return value.length() <= MAX_SHARED_VALUE_LENGTH ? VALUES.canonical(value) : value;
  }

  /**
   * Series definitions, one object per series while it stays active: its id is hashed once, and the
   * store, the guardrails and the delta state find it by identity rather than by hashing labels.
   */
  private static final Canonical<MetricSeries> SERIES = new Canonical<>(250_000);

  /** The outcome for one point. */
  sealed interface Result {}

  /** The outcome for one point's series: what a series ref of the stream stands for. */
  sealed interface SeriesResult {}

  /** A valid point of {@code series}, which arrived with temporality {@code received}. */
  record Converted(
      MetricSeries series,
      dev.sextant.model.MetricPoint point,
      Temporality received,
      Guardrails.Memo guardrails)
      implements Result {
    boolean isDelta() {
      return received == Temporality.DELTA;
    }
  }

  /** A valid series; {@code series} carries the stored temporality, {@code received} the sent. */
  /**
   * A valid series, and what the guardrails made of it once: a stream's ref resolves to one
   * instance, so its points find the label rules' outcome here instead of in a shared table.
   */
  record Series(MetricSeries series, Temporality received, Guardrails.Memo guardrails)
      implements SeriesResult {}

  record Rejected(PointRejection reason, String message) implements Result, SeriesResult {}

  /** A point that carries its whole series. */
  Result convert(String tenant, MetricPoint point) {
    return convert(series(tenant, point), point);
  }

  /** A point whose series was already resolved (from the point, or by its stream's ref). */
  Result convert(SeriesResult resolved, MetricPoint point) {
    if (!(resolved instanceof Series valid)) {
      return (Rejected) resolved;
    }
    MetricSeries series = valid.series();
    try {
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
      MetricType type = series.type();
      dev.sextant.model.MetricPoint converted =
          switch (type) {
            case COUNTER, UP_DOWN_COUNTER, GAUGE, UNKNOWN -> numberPoint(type, point, start, time);
            case HISTOGRAM -> histogramPoint(point, start, time);
            case EXPONENTIAL_HISTOGRAM -> exponentialHistogramPoint(point, start, time);
            case SUMMARY -> summaryPoint(point, start, time);
          };
      return new Converted(series, converted, valid.received(), valid.guardrails());
    } catch (Invalid invalid) {
      return new Rejected(
          invalid.reason, "metric '" + abbreviate(series.name()) + "': " + invalid.getMessage());
    }
  }

  /** The series a point names: checked, with sorted labels and one shared instance per series. */
  SeriesResult series(String tenant, MetricPoint point) {
    String name = NAMES.canonical(point.getName());
    try {
      if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
        throw new Invalid(
            PointRejection.INVALID_NAME,
            "metric name must be 1 to " + MAX_NAME_LENGTH + " characters");
      }
      MetricType type = typeOf(point);
      Temporality received = temporalityOf(type, point);
      Labels labels = labelsOf(point.getLabelsList());
      Temporality stored = received == Temporality.DELTA ? Temporality.CUMULATIVE : received;
      MetricSeries series =
          SERIES.canonical(
              new MetricSeries(
                  tenant,
                  name,
                  labels,
                  type,
                  stored,
                  shared(point.getUnit()),
                  shared(point.getDescription())));
      return new Series(series, received, new Guardrails.Memo());
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

  /** Gauges and summaries have no temporality, whatever was sent; sums and histograms must say. */
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
      String labelName = NAMES.canonical(label.getName());
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
      if (byName.put(labelName, shared(label.getValue())) != null) {
        throw new Invalid(
            PointRejection.INVALID_LABELS, "duplicate label '" + abbreviate(labelName) + "'");
      }
    }
    byName.values().removeIf(String::isEmpty);
    return Labels.of(byName);
  }

  private static NumberPoint numberPoint(MetricType type, MetricPoint point, long start, long time)
      throws Invalid {
    requireValue(point, MetricPoint.ValueCase.NUMBER, type);
    double value = point.getNumber();
    boolean sum = type == MetricType.COUNTER || type == MetricType.UP_DOWN_COUNTER;
    // A gauge or an untyped (remote-written) sample may be NaN, a value gauges may report; a sum
    // may only carry Prometheus's staleness marker, a NaN whose bits must reach the store as sent.
    if (sum && Double.isNaN(value) && Double.doubleToRawLongBits(value) != STALE_MARKER_BITS) {
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

  private static void requireValue(MetricPoint point, MetricPoint.ValueCase wanted, MetricType type)
      throws Invalid {
    if (point.getValueCase() != wanted) {
      throw new Invalid(
          PointRejection.INVALID_VALUE,
          "a " + type + " needs " + wanted + ", got " + point.getValueCase());
    }
  }

  /** A histogram's sum: NaN means unknown (OTLP's sum is optional), infinity is refused. */
  private static void checkSum(double sum) throws Invalid {
    if (Double.isInfinite(sum)) {
      throw new Invalid(PointRejection.INFINITE_SUM, "histogram sum is " + sum);
    }
  }

  private static void checkMinMax(double min, double max) throws Invalid {
    if (min > max) {
      throw new Invalid(PointRejection.INVALID_HISTOGRAM, "min is above max");
    }
  }

  /** The counts as longs; uint64 above 2^63 arrives negative, and no real count gets that far. */
  private static long[] counts(List<Long> wire, long[] total) throws Invalid {
    long[] counts = new long[wire.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = wire.get(i);
      if (counts[i] < 0) {
        throw new Invalid(PointRejection.INVALID_HISTOGRAM, "bucket counts out of range");
      }
      try {
        total[0] = Math.addExact(total[0], counts[i]);
      } catch (ArithmeticException e) {
        throw new Invalid(PointRejection.INVALID_HISTOGRAM, "bucket counts overflow");
      }
    }
    return counts;
  }

  private static void checkCount(long count, long total, String what) throws Invalid {
    if (count != total) {
      throw new Invalid(
          PointRejection.INVALID_HISTOGRAM,
          "count "
              + Long.toUnsignedString(count)
              + " is not the sum of "
              + what
              + " ("
              + total
              + ")");
    }
  }

  private static HistogramPoint histogramPoint(MetricPoint point, long start, long time)
      throws Invalid {
    requireValue(point, MetricPoint.ValueCase.HISTOGRAM, MetricType.HISTOGRAM);
    Histogram h = point.getHistogram();
    checkSum(h.getSum());
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
    long[] total = {0};
    long[] counts = counts(h.getBucketCountsList(), total);
    checkCount(h.getCount(), total[0], "the bucket counts");
    checkMinMax(h.getMin(), h.getMax());
    return new HistogramPoint(
        start, time, h.getCount(), h.getSum(), h.getMin(), h.getMax(), bounds, counts);
  }

  private static ExponentialHistogramPoint exponentialHistogramPoint(
      MetricPoint point, long start, long time) throws Invalid {
    requireValue(
        point, MetricPoint.ValueCase.EXPONENTIAL_HISTOGRAM, MetricType.EXPONENTIAL_HISTOGRAM);
    ExponentialHistogram h = point.getExponentialHistogram();
    if (h.getScale() < ExponentialHistogramPoint.MIN_SCALE
        || h.getScale() > ExponentialHistogramPoint.MAX_SCALE) {
      throw new Invalid(
          PointRejection.INVALID_HISTOGRAM,
          "scale "
              + h.getScale()
              + " is outside "
              + ExponentialHistogramPoint.MIN_SCALE
              + ".."
              + ExponentialHistogramPoint.MAX_SCALE);
    }
    if (!Double.isFinite(h.getZeroThreshold()) || h.getZeroThreshold() < 0) {
      throw new Invalid(
          PointRejection.INVALID_HISTOGRAM, "zero threshold must be finite and not negative");
    }
    checkSum(h.getSum());
    if (h.getZeroCount() < 0) {
      throw new Invalid(PointRejection.INVALID_HISTOGRAM, "zero count out of range");
    }
    long[] total = {h.getZeroCount()};
    ExponentialHistogramPoint.Buckets positive = buckets(h.getPositive(), total);
    ExponentialHistogramPoint.Buckets negative = buckets(h.getNegative(), total);
    checkCount(h.getCount(), total[0], "the zero count and the bucket counts");
    checkMinMax(h.getMin(), h.getMax());
    return new ExponentialHistogramPoint(
        start,
        time,
        h.getCount(),
        h.getSum(),
        h.getMin(),
        h.getMax(),
        h.getScale(),
        h.getZeroCount(),
        h.getZeroThreshold(),
        positive,
        negative);
  }

  private static ExponentialHistogramPoint.Buckets buckets(
      ExponentialHistogram.Buckets wire, long[] total) throws Invalid {
    if ((long) wire.getOffset() + wire.getBucketCountsCount() - 1 > Integer.MAX_VALUE) {
      throw new Invalid(PointRejection.INVALID_HISTOGRAM, "bucket indexes beyond 32 bits");
    }
    return new ExponentialHistogramPoint.Buckets(
        wire.getOffset(), counts(wire.getBucketCountsList(), total));
  }

  private static SummaryPoint summaryPoint(MetricPoint point, long start, long time)
      throws Invalid {
    requireValue(point, MetricPoint.ValueCase.SUMMARY, MetricType.SUMMARY);
    Summary s = point.getSummary();
    if (s.getCount() < 0) {
      throw new Invalid(PointRejection.INVALID_SUMMARY, "count out of range");
    }
    if (!Double.isFinite(s.getSum())) {
      throw new Invalid(PointRejection.INVALID_SUMMARY, "sum is " + s.getSum());
    }
    List<SummaryPoint.Quantile> quantiles = new ArrayList<>(s.getQuantilesCount());
    double previous = -1;
    for (Summary.Quantile q : s.getQuantilesList()) {
      // Sorted and distinct, as ingest sends them; NaN values mean "nothing observed".
      if (!(q.getQuantile() >= 0 && q.getQuantile() <= 1) || q.getQuantile() <= previous) {
        throw new Invalid(
            PointRejection.INVALID_SUMMARY, "quantiles must be within [0, 1], sorted and distinct");
      }
      if (Double.isInfinite(q.getValue())) {
        throw new Invalid(PointRejection.INVALID_SUMMARY, "a quantile value is infinite");
      }
      previous = q.getQuantile();
      quantiles.add(new SummaryPoint.Quantile(q.getQuantile(), q.getValue()));
    }
    return new SummaryPoint(start, time, s.getCount(), s.getSum(), quantiles);
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
