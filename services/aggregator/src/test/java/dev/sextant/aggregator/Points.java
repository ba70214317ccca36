package dev.sextant.aggregator;

import dev.sextant.protocol.pipeline.v1.Histogram;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.List;

/** Wire points and batches for tests, with fixed times: no clock, no randomness. */
final class Points {
  /** 2026-01-01T00:00:00Z in Unix nanoseconds. */
  static final long T0 = 1_767_225_600_000_000_000L;

  static final long SECOND = 1_000_000_000L;

  private Points() {}

  static MetricPoint.Builder number(
      MetricType type, Temporality temporality, String name, double value, long time) {
    return MetricPoint.newBuilder()
        .setName(name)
        .setUnit("1")
        .setDescription("a test metric")
        .setType(type)
        .setTemporality(temporality)
        .setStartTimeUnixNano(T0)
        .setTimeUnixNano(time)
        .setNumber(value);
  }

  static MetricPoint.Builder counter(String name, double value, long time) {
    return number(
        MetricType.METRIC_TYPE_COUNTER, Temporality.TEMPORALITY_CUMULATIVE, name, value, time);
  }

  static MetricPoint.Builder gauge(String name, double value, long time) {
    return number(MetricType.METRIC_TYPE_GAUGE, Temporality.TEMPORALITY_NONE, name, value, time)
        .setStartTimeUnixNano(0);
  }

  static MetricPoint.Builder histogram(
      String name, long time, List<Double> bounds, List<Long> counts, double sum) {
    return MetricPoint.newBuilder()
        .setName(name)
        .setUnit("s")
        .setType(MetricType.METRIC_TYPE_HISTOGRAM)
        .setTemporality(Temporality.TEMPORALITY_CUMULATIVE)
        .setStartTimeUnixNano(T0)
        .setTimeUnixNano(time)
        .setHistogram(
            Histogram.newBuilder()
                .setCount(counts.stream().mapToLong(Long::longValue).sum())
                .setSum(sum)
                .setMin(Double.NaN)
                .setMax(Double.NaN)
                .addAllBounds(bounds)
                .addAllBucketCounts(counts));
  }

  /** Adds labels from alternating names and values, in the order given. */
  static MetricPoint.Builder labels(MetricPoint.Builder point, String... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      point.addLabels(
          Label.newBuilder().setName(namesAndValues[i]).setValue(namesAndValues[i + 1]));
    }
    return point;
  }

  static WriteRequest batch(long id, String tenant, MetricPoint.Builder... points) {
    WriteRequest.Builder batch = WriteRequest.newBuilder().setBatchId(id).setTenant(tenant);
    for (MetricPoint.Builder point : points) {
      batch.addPoints(point);
    }
    return batch.build();
  }

  /** A point that refers to its stream's series ref: times and value only (ADR 0015). */
  static MetricPoint.Builder reference(long ref, long time, double value) {
    return MetricPoint.newBuilder()
        .setSeriesRef(ref)
        .setStartTimeUnixNano(T0)
        .setTimeUnixNano(time)
        .setNumber(value);
  }
}
