package dev.sextant.ingest;

import dev.sextant.ingest.pipeline.MetricPipelineClient;
import dev.sextant.ingest.remotewrite.RemoteWriteNormalizer;
import dev.sextant.protocol.prometheus.WriteRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Remote-write requests through the same path as OTLP metrics: admission, normalisation on a worker
 * thread, the metric stream to the aggregator, and an answer only after the aggregator's commit.
 * Metric metadata in the request is not stored: metadata belongs to the aggregator, which would
 * also check it against the points, and remote-written series stay untyped.
 */
@ApplicationScoped
public class RemoteWriteIngestor {
  private final IngestFlow flow;
  private final MetricPipelineClient pipeline;
  private final RemoteWriteNormalizer normalizer;

  @Inject
  public RemoteWriteIngestor(IngestFlow flow, MetricPipelineClient pipeline, IngestConfig config) {
    this.flow = flow;
    this.pipeline = pipeline;
    this.normalizer =
        new RemoteWriteNormalizer(
            config.limits().maxAttributesPerRecord(),
            config.limits().maxAttributeValueBytes(),
            config.maxClockSkew());
  }

  public Uni<ExportResult> write(String tenant, WriteRequest request) {
    return flow.run(
        Signal.METRICS,
        Transport.REMOTE_WRITE,
        RemoteWriteNormalizer.count(request),
        () -> normalizer.normalize(request, WallClock.nowUnixNanos()),
        points -> pipeline.send(tenant, points));
  }
}
