package dev.sextant.ingest.pipeline;

import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.Arrays;
import java.util.List;

/**
 * Ingest's half of one stream's series dictionary (ADR 0015): which series each ref stands for on
 * this stream. The first point of a series on the stream goes with its definition (name, type,
 * labels and ref), its later points as they were made, in reference form. A ref that the {@link
 * SeriesCatalog} gave to another series since is defined again. One per stream (a new stream starts
 * empty, as the aggregator's side does); used in send order, under the pipeline client's lock.
 */
final class StreamRefs {
  private SeriesCatalog.Series[] defined = new SeriesCatalog.Series[1024];

  /** The batch as it goes on this stream. */
  WriteRequest encode(long batchId, String tenant, boolean additive, List<StreamPoint> points) {
    WriteRequest.Builder encoded =
        WriteRequest.newBuilder().setBatchId(batchId).setTenant(tenant).setAdditive(additive);
    for (int i = 0, n = points.size(); i < n; i++) {
      StreamPoint point = points.get(i);
      SeriesCatalog.Series series = point.series();
      if (series == null) {
        encoded.addPoints(point.point());
        continue;
      }
      int ref = series.ref;
      if (ref >= defined.length) {
        defined = Arrays.copyOf(defined, Math.max(ref + 1, 2 * defined.length));
      }
      if (defined[ref] == series) {
        encoded.addPoints(point.point());
      } else {
        defined[ref] = series;
        encoded.addPoints(series.definition().toBuilder().mergeFrom(point.point()));
      }
    }
    return encoded.build();
  }
}
