package dev.sextant.tracespec;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import java.util.List;

/** One stored metric series and its samples around a trace, as read for a check. */
public record SeriesSamples(MetricSeries series, List<MetricPoint> points) {
  public SeriesSamples {
    points = List.copyOf(points);
  }
}
