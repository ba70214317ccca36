package dev.sextant.ingest;

import dev.sextant.ingest.cost.CostEstimator;
import dev.sextant.ingest.cost.PriceTable;
import dev.sextant.ingest.mastra.MetricEventSender;
import dev.sextant.ingest.mastra.OtlpAgentSpans;
import dev.sextant.ingest.mastra.SpanMetricEvents;
import dev.sextant.ingest.otlp.LimitSettings;
import dev.sextant.ingest.otlp.OtlpTraceNormalizer;
import dev.sextant.model.MetricEvent;
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
  private final MetricEventSender eventSender;
  private final boolean mastraEventsFromSpans;

  @Inject
  public SpanIngestor(
      IngestFlow flow,
      StorageComponent storage,
      IngestConfig config,
      SpanMetricsSender spanMetrics,
      MetricEventSender eventSender) {
    this.flow = flow;
    this.storage = storage;
    this.spanMetrics = spanMetrics;
    this.eventSender = eventSender;
    this.mastraEventsFromSpans = config.mastra().eventsFromOtlpSpans();
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
              return payloads
                  .chain(() -> storePriced(shaped.spans()))
                  .chain(this::storeSpanMetricEvents);
            })
        .map(SpanIngestor::response);
  }

  /**
   * Prices the model calls, stores the spans, and once they are committed sends their derived
   * metrics; the path of every span, whichever API it came by.
   */
  public Uni<Delivery> store(List<Span> spans) {
    return storePriced(spans).replaceWith(Delivery.ALL);
  }

  private Uni<List<Span>> storePriced(List<Span> spans) {
    List<Span> priced = costs.price(spans);
    String tenant = priced.isEmpty() ? null : priced.getFirst().tenant();
    return storage
        .spans()
        .write(priced)
        .invoke(() -> spanMetrics.afterCommit(tenant, priced))
        .replaceWith(priced);
  }

  /**
   * Mastra's own metric events of OTLP spans (the OTLP exporter sends no metrics), committed before
   * the answer like the spans; the publish API carries Mastra's events instead.
   */
  private Uni<Delivery> storeSpanMetricEvents(List<Span> spans) {
    if (!mastraEventsFromSpans) {
      return Uni.createFrom().item(Delivery.ALL);
    }
    List<MetricEvent> events = SpanMetricEvents.of(spans);
    if (events.isEmpty()) {
      return Uni.createFrom().item(Delivery.ALL);
    }
    return storage
        .metricEvents()
        .write(events)
        .invoke(() -> eventSender.afterCommit(events.getFirst().tenant(), events))
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
