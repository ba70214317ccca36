package dev.sextant.ingest;

import dev.sextant.ingest.otlp.LimitSettings;
import dev.sextant.ingest.otlp.OtlpMetricNormalizer;
import dev.sextant.ingest.pipeline.MetricPipelineClient;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Metric exports, from either transport: normalised into pipeline points and streamed to the
 * aggregator, which owns every metric write; answered once the aggregator acknowledged the commit.
 */
@ApplicationScoped
public class MetricIngestor {
  private final IngestFlow flow;
  private final MetricPipelineClient pipeline;
  private final OtlpMetricNormalizer normalizer;

  @Inject
  public MetricIngestor(IngestFlow flow, MetricPipelineClient pipeline, IngestConfig config) {
    this.flow = flow;
    this.pipeline = pipeline;
    this.normalizer =
        new OtlpMetricNormalizer(
            LimitSettings.from(config.limits()),
            config.maxClockSkew(),
            config.metrics().promotedResourceAttributes(),
            pipeline.catalog());
  }

  public Uni<ExportMetricsServiceResponse> export(
      String tenant, ExportMetricsServiceRequest request, Transport transport) {
    return flow.run(
            Signal.METRICS,
            transport,
            OtlpMetricNormalizer.count(request),
            () -> normalizer.normalize(tenant, request, WallClock.nowUnixNanos()),
            points -> pipeline.sendPoints(tenant, points, false))
        .map(MetricIngestor::response);
  }

  private static ExportMetricsServiceResponse response(ExportResult result) {
    ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
    if (result.partial()) {
      response.setPartialSuccess(
          ExportMetricsPartialSuccess.newBuilder()
              .setRejectedDataPoints(result.rejected())
              .setErrorMessage(result.message()));
    }
    return response.build();
  }
}
