package dev.sextant.query.core;

import dev.sextant.model.MetricSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a tenant's series come from, so a user can find the metric or label that makes too many:
 * the metrics with most series, the labels on most series (with how many values each has), and the
 * metrics whose series went over an active-series limit (they have an {@code otel_metric_overflow}
 * series, see the aggregator's guardrails).
 *
 * @param series all series with points in the window
 * @param metrics the metrics with most series, most first
 * @param labels the labels on most series, most first
 * @param overflowing metrics with an overflow series in the window, sorted
 */
public record Cardinality(
    int series, List<MetricCount> metrics, List<LabelCount> labels, List<String> overflowing) {
  /** The label of a metric's overflow series (the aggregator's guardrails write it). */
  public static final String OVERFLOW_LABEL = "otel_metric_overflow";

  public record MetricCount(String name, int series) {}

  /** A label: on how many series, with how many distinct values. */
  public record LabelCount(String name, int series, int values) {}

  public static Cardinality of(List<MetricSeries> all, int limit) {
    Map<String, Integer> perMetric = new HashMap<>();
    Map<String, Integer> perLabel = new HashMap<>();
    Map<String, Set<String>> values = new HashMap<>();
    Set<String> overflowing = new TreeSet<>();
    for (MetricSeries s : all) {
      perMetric.merge(s.name(), 1, Integer::sum);
      for (Map.Entry<String, String> label : s.labels().asMap().entrySet()) {
        perLabel.merge(label.getKey(), 1, Integer::sum);
        values.computeIfAbsent(label.getKey(), k -> new HashSet<>()).add(label.getValue());
      }
      if ("true".equals(s.labels().get(OVERFLOW_LABEL))) {
        overflowing.add(s.name());
      }
    }
    List<MetricCount> metrics = new ArrayList<>();
    perMetric.forEach((name, n) -> metrics.add(new MetricCount(name, n)));
    metrics.sort(
        Comparator.comparingInt(MetricCount::series).reversed().thenComparing(MetricCount::name));
    List<LabelCount> labels = new ArrayList<>();
    perLabel.forEach((name, n) -> labels.add(new LabelCount(name, n, values.get(name).size())));
    labels.sort(
        Comparator.comparingInt(LabelCount::series)
            .reversed()
            .thenComparing(Comparator.comparingInt(LabelCount::values).reversed())
            .thenComparing(LabelCount::name));
    return new Cardinality(
        all.size(),
        List.copyOf(metrics.subList(0, Math.min(limit, metrics.size()))),
        List.copyOf(labels.subList(0, Math.min(limit, labels.size()))),
        List.copyOf(overflowing));
  }
}
