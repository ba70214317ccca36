package dev.sextant.ingest;

import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * The aggregator's half of one stream's series dictionary (ADR 0015), for fake aggregators:
 * resolves each reference to the series last defined for its ref on the same stream, and fails on a
 * reference to a ref the stream never defined.
 */
public final class StreamDictionary {
  private final Map<Long, MetricPoint> byRef = new HashMap<>();

  /** The batch with every reference replaced by its series' definition, times and value. */
  public WriteRequest resolve(WriteRequest request) {
    WriteRequest.Builder resolved = request.toBuilder().clearPoints();
    for (MetricPoint point : request.getPointsList()) {
      if (point.getSeriesRef() == 0) {
        resolved.addPoints(point);
      } else if (!point.getName().isEmpty()) {
        byRef.put(point.getSeriesRef(), point);
        resolved.addPoints(point.toBuilder().clearSeriesRef());
      } else {
        MetricPoint series = byRef.get(point.getSeriesRef());
        if (series == null) {
          throw new AssertionError("series ref " + point.getSeriesRef() + " was never defined");
        }
        resolved.addPoints(
            series.toBuilder()
                .clearSeriesRef()
                .clearValue()
                .mergeFrom(point.toBuilder().clearSeriesRef().build()));
      }
    }
    return resolved.build();
  }
}
