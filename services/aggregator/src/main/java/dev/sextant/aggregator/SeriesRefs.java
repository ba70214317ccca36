package dev.sextant.aggregator;

import dev.sextant.aggregator.PointConverter.Rejected;
import dev.sextant.aggregator.PointConverter.SeriesResult;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.Arrays;

/**
 * The series dictionary of one pipeline stream (ADR 0015): what each series ref stands for, as the
 * stream last defined it. A point that defines a ref is checked once, here; the points that refer
 * to it later carry neither name nor labels, and skip the label parsing and the series lookup.
 *
 * <p>Used in stream order, one message at a time (gRPC delivers them so), before batches are
 * written concurrently: a definition counts from its place in the stream whatever becomes of its
 * batch, exactly as the sender numbered it.
 */
final class SeriesRefs {
  /** The largest ref a sender may use; bounds this table at 8 MB of references per stream. */
  static final long MAX_REF = 1 << 20;

  private final PointConverter converter = new PointConverter();
  private Entry[] byRef = new Entry[1024];

  private record Entry(String tenant, SeriesResult series) {}

  /**
   * The series of each point of {@code request}, defining refs as it goes; null where a point
   * carries its whole series without a ref, and null altogether when no point has a ref.
   */
  SeriesResult[] resolve(WriteRequest request) {
    SeriesResult[] resolved = null;
    String tenant = request.getTenant();
    for (int i = 0; i < request.getPointsCount(); i++) {
      MetricPoint point = request.getPoints(i);
      long ref = point.getSeriesRef();
      if (ref == 0) {
        continue;
      }
      if (resolved == null) {
        resolved = new SeriesResult[request.getPointsCount()];
      }
      resolved[i] = resolve(tenant, ref, point);
    }
    return resolved;
  }

  private SeriesResult resolve(String tenant, long ref, MetricPoint point) {
    if (ref < 0 || ref > MAX_REF) {
      return invalid("series ref " + Long.toUnsignedString(ref) + " is above " + MAX_REF);
    }
    int index = (int) ref;
    if (!point.getName().isEmpty()) {
      SeriesResult series = converter.series(tenant, point);
      if (index >= byRef.length) {
        byRef =
            Arrays.copyOf(
                byRef, (int) Math.min(MAX_REF + 1, Math.max(index + 1L, 2L * byRef.length)));
      }
      byRef[index] = new Entry(tenant, series);
      return series;
    }
    Entry known = index < byRef.length ? byRef[index] : null;
    if (known == null) {
      return invalid("series ref " + ref + " was not defined on this stream");
    }
    if (!known.tenant().equals(tenant)) {
      return invalid("series ref " + ref + " was defined for another tenant");
    }
    return known.series();
  }

  private static Rejected invalid(String message) {
    return new Rejected(PointRejection.INVALID_SERIES_REF, message);
  }
}
