package dev.sextant.ingest;

import dev.sextant.ingest.cost.CostEstimator;
import dev.sextant.ingest.cost.PriceTable;
import dev.sextant.ingest.mastra.OtlpAgentSpans;
import dev.sextant.ingest.otlp.LimitSettings;
import dev.sextant.ingest.otlp.OtlpTraceNormalizer;
import dev.sextant.model.Span;
import dev.sextant.storage.StorageComponent;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Trace exports, from either transport: normalised, written to the store, answered after. */
@ApplicationScoped
public class SpanIngestor {
  private final IngestFlow flow;
  private final StorageComponent storage;
  private final OtlpTraceNormalizer normalizer;
  private final SpanMetricsSender spanMetrics;
  private final OtlpAgentSpans agentSpans;
  private final CostEstimator costs = new CostEstimator(PriceTable.bundled());

  @Inject
  public SpanIngestor(
      IngestFlow flow,
      StorageComponent storage,
      IngestConfig config,
      SpanMetricsSender spanMetrics) {
    this.flow = flow;
    this.storage = storage;
    this.spanMetrics = spanMetrics;
    this.agentSpans = new OtlpAgentSpans(config.mastra().maxPayloadChars());
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
            spans -> {
              OtlpAgentSpans.Shaped shaped = agentSpans.shape(spans);
              Uni<Void> payloads =
                  shaped.payloads().isEmpty()
                      ? Uni.createFrom().voidItem()
                      : storage.payloads().write(shaped.payloads());
              return payloads.chain(() -> store(shaped.spans()));
            })
        .map(SpanIngestor::response);
  }

  /**
   * Prices the model calls, stores the spans, and once they are committed sends their derived
   * metrics; the path of every span, whichever API it came by.
   */
  public Uni<Delivery> store(List<Span> spans) {
    List<Span> priced = costs.price(spans);
    String tenant = priced.isEmpty() ? null : priced.getFirst().tenant();
    return storage
        .spans()
        .write(priced)
        .invoke(() -> spanMetrics.afterCommit(tenant, priced))
        .replaceWith(Delivery.ALL);
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
