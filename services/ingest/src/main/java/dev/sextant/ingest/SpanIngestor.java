package dev.sextant.ingest;

import dev.sextant.ingest.otlp.LimitSettings;
import dev.sextant.ingest.otlp.OtlpTraceNormalizer;
import dev.sextant.storage.StorageComponent;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Trace exports, from either transport: normalised, written to the store, answered after. */
@ApplicationScoped
public class SpanIngestor {
  private final IngestFlow flow;
  private final StorageComponent storage;
  private final OtlpTraceNormalizer normalizer;
  private final SpanMetricsSender spanMetrics;

  @Inject
  public SpanIngestor(
      IngestFlow flow,
      StorageComponent storage,
      IngestConfig config,
      SpanMetricsSender spanMetrics) {
    this.flow = flow;
    this.storage = storage;
    this.spanMetrics = spanMetrics;
    this.normalizer =
        new OtlpTraceNormalizer(LimitSettings.from(config.limits()), config.maxClockSkew());
  }

  public Uni<ExportTraceServiceResponse> export(
      String tenant, ExportTraceServiceRequest request, Transport transport) {
    return flow.run(
            Signal.TRACES,
            transport,
            OtlpTraceNormalizer.count(request),
            () -> normalizer.normalize(tenant, request, WallClock.nowUnixNanos()),
            spans ->
                storage
                    .spans()
                    .write(spans)
                    .invoke(() -> spanMetrics.afterCommit(tenant, spans))
                    .replaceWith(Delivery.ALL))
        .map(SpanIngestor::response);
  }

  private static ExportTraceServiceResponse response(ExportResult result) {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (result.partial()) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(result.rejected())
              .setErrorMessage(result.message()));
    }
    return response.build();
  }
}
