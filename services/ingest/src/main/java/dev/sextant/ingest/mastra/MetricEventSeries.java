package dev.sextant.ingest.mastra;

import dev.sextant.ingest.spanmetrics.DeltaHistogram;
import dev.sextant.model.Correlation;
import dev.sextant.model.MetricEvent;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raw metric events of one request as delta points, the way span-derived metrics are made (the
 * aggregator adds them up into cumulative series, ADR 0009): names ending in {@code _duration_ms}
 * become histograms (in ms, configurable bounds; no unit is set, since the name says it and
 * Prometheus naming would add it again), every other name a counter summing the values (Mastra's
 * token metrics and custom counts). Labels: the event's labels plus the entity and service of its
 * correlation; ids (thread, run, resource) stay out, as Mastra's own cardinality filter keeps them
 * out of labels.
 */
public final class MetricEventSeries {
  private final double[] bounds;

  public MetricEventSeries(List<Double> durationBucketsMs) {
    this.bounds = DeltaHistogram.bounds(durationBucketsMs, "metric event duration buckets");
  }

  public List<MetricPoint> points(List<MetricEvent> events, long nowUnixNanos) {
    Map<Key, double[]> counters = new LinkedHashMap<>();
    Map<Key, DeltaHistogram> histograms = new LinkedHashMap<>();
    for (MetricEvent event : events) {
      Key key = new Key(event.name(), labels(event));
      if (event.name().endsWith("_duration_ms")) {
        histograms.computeIfAbsent(key, k -> new DeltaHistogram(bounds)).add(event.value());
      } else {
        counters.computeIfAbsent(key, k -> new double[1])[0] += event.value();
      }
    }
    List<MetricPoint> points = new ArrayList<>();
    counters.forEach(
        (key, sum) ->
            points.add(
                point(key, MetricType.METRIC_TYPE_COUNTER, "", nowUnixNanos)
                    .setNumber(sum[0])
                    .build()));
    histograms.forEach(
        (key, h) ->
            points.add(
                point(key, MetricType.METRIC_TYPE_HISTOGRAM, "", nowUnixNanos)
                    .setHistogram(h.histogram())
                    .build()));
    return points;
  }

  private record Key(String name, Map<String, String> labels) {}

  private static Map<String, String> labels(MetricEvent event) {
    Map<String, String> labels = new TreeMap<>(event.labels());
    Correlation c = event.correlation();
    put(labels, "entity_type", c.get(Correlation.ENTITY_TYPE));
    put(labels, "entity_name", c.get(Correlation.ENTITY_NAME));
    put(labels, "service.name", c.get(Correlation.SERVICE_NAME));
    put(labels, "environment", c.get(Correlation.ENVIRONMENT));
    put(labels, "model", event.cost().model());
    put(labels, "provider", event.cost().provider());
    return labels;
  }

  private static void put(Map<String, String> labels, String key, String value) {
    if (value != null && !value.isEmpty()) {
      labels.putIfAbsent(key, value);
    }
  }

  private static MetricPoint.Builder point(Key key, MetricType type, String unit, long time) {
    MetricPoint.Builder point =
        MetricPoint.newBuilder()
            .setName(key.name())
            .setUnit(unit)
            .setType(type)
            .setTemporality(Temporality.TEMPORALITY_DELTA)
            .setTimeUnixNano(time);
    key.labels()
        .forEach(
            (k, v) -> {
              if (!v.isEmpty()) {
                point.addLabels(Label.newBuilder().setName(k).setValue(v));
              }
            });
    return point;
  }
}
