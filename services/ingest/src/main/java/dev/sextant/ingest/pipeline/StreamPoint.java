package dev.sextant.ingest.pipeline;

import dev.sextant.protocol.pipeline.v1.MetricPoint;

/**
 * A point ready for the metric stream. With a {@code series} from the {@link SeriesCatalog}, {@code
 * point} is its reference form (the series' ref, times and value; no name or labels), and the
 * stream sends the series' definition in its place the first time; without one, {@code point} is
 * whole and goes as it is.
 */
public record StreamPoint(SeriesCatalog.Series series, MetricPoint point) {

  /** A point sent whole, without a ref. */
  public static StreamPoint whole(MetricPoint point) {
    return new StreamPoint(null, point);
  }

  /** The point with its series' name and labels, as the aggregator reads it; without a ref. */
  public MetricPoint resolved() {
    if (series == null) {
      return point;
    }
    return series.definition().toBuilder().mergeFrom(point).clearSeriesRef().build();
  }
}
