package dev.sextant.storage.query;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A series and its points in a range, oldest first. */
public record SeriesPoints(MetricSeries series, List<MetricPoint> points) {
  public SeriesPoints {
    points = List.copyOf(points);
  }

  /**
   * The series, in their order, that have points in {@code pointsById} (keyed by {@link
   * MetricSeries#id()}), each with its points.
   */
  public static List<SeriesPoints> of(
      List<MetricSeries> series, Map<Long, List<MetricPoint>> pointsById) {
    List<SeriesPoints> out = new ArrayList<>(series.size());
    for (MetricSeries s : series) {
      List<MetricPoint> points = pointsById.get(s.id());
      if (points != null && !points.isEmpty()) {
        out.add(new SeriesPoints(s, points));
      }
    }
    return out;
  }
}
