package dev.sextant.query.prom.store;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.promql.storage.Series;
import dev.sextant.promql.value.GoFormat;
import dev.sextant.query.prom.names.ExposedSeries;
import dev.sextant.query.prom.names.ExposedSeries.Component;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stored series' points as the float series Prometheus would hold: numbers as they are;
 * histograms as cumulative {@code _bucket{le}} counts plus {@code _sum} and {@code _count};
 * exponential histograms likewise, with {@code le} at their bucket boundaries; summaries as one
 * series per quantile plus {@code _sum} and {@code _count}. Only the wanted components are built.
 */
final class PointExpansion {
  private static final String INF = "+Inf";

  private PointExpansion() {}

  static List<Series> expand(
      ExposedSeries exposed, List<MetricPoint> points, Set<Component> wanted) {
    Map<String, SeriesBuilder> out = new LinkedHashMap<>();
    boolean exponential = false;
    for (MetricPoint p : points) {
      exponential |= p instanceof ExponentialHistogramPoint;
    }
    // Exponential histograms change their buckets from point to point (scale, offsets): every
    // point gets a count at every boundary any point has, so each le series is continuous.
    double[] union = exponential ? ExponentialBuckets.boundaryUnion(points) : null;
    for (MetricPoint p : points) {
      long ms = Math.floorDiv(p.timeUnixNanos(), 1_000_000L);
      switch (p) {
        case NumberPoint n -> add(out, exposed, Component.VALUE, null, wanted, ms, n.value());
        case HistogramPoint h -> {
          if (wanted.contains(Component.BUCKET)) {
            double[] bounds = h.bounds();
            long[] counts = h.bucketCounts();
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
              cumulative += counts[i];
              add(out, exposed, Component.BUCKET, le(bounds[i]), wanted, ms, cumulative);
            }
            add(out, exposed, Component.BUCKET, INF, wanted, ms, h.count());
          }
          sumAndCount(out, exposed, wanted, ms, h.sum(), h.count());
        }
        case ExponentialHistogramPoint e -> {
          if (wanted.contains(Component.BUCKET)) {
            double[] cumulative = ExponentialBuckets.cumulativeAt(e, union);
            for (int i = 0; i < union.length; i++) {
              add(out, exposed, Component.BUCKET, le(union[i]), wanted, ms, cumulative[i]);
            }
            add(out, exposed, Component.BUCKET, INF, wanted, ms, e.count());
          }
          sumAndCount(out, exposed, wanted, ms, e.sum(), e.count());
        }
        case SummaryPoint s -> {
          for (SummaryPoint.Quantile q : s.quantiles()) {
            add(
                out,
                exposed,
                Component.QUANTILE,
                GoFormat.formatFloat(q.quantile()),
                wanted,
                ms,
                q.value());
          }
          sumAndCount(out, exposed, wanted, ms, s.sum(), s.count());
        }
      }
    }
    List<Series> series = new ArrayList<>(out.size());
    for (SeriesBuilder b : out.values()) {
      series.add(b.build());
    }
    return series;
  }

  private static void sumAndCount(
      Map<String, SeriesBuilder> out,
      ExposedSeries exposed,
      Set<Component> wanted,
      long ms,
      double sum,
      long count) {
    // An unknown sum (NaN in the model) is left out, as Prometheus leaves out an absent one.
    if (!Double.isNaN(sum)) {
      add(out, exposed, Component.SUM, null, wanted, ms, sum);
    }
    add(out, exposed, Component.COUNT, null, wanted, ms, count);
  }

  private static void add(
      Map<String, SeriesBuilder> out,
      ExposedSeries exposed,
      Component component,
      String pointLabel,
      Set<Component> wanted,
      long ms,
      double value) {
    if (!wanted.contains(component)) {
      return;
    }
    String key = pointLabel == null ? component.name() : component.name() + '\u0000' + pointLabel;
    out.computeIfAbsent(key, k -> new SeriesBuilder(exposed.labels(component, pointLabel)))
        .add(ms, value);
  }

  /** A bucket bound as the {@code le} value Prometheus's OTLP translation writes. */
  static String le(double bound) {
    return GoFormat.formatFloat(bound);
  }
}
