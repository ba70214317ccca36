package dev.sextant.ingest;

import dev.sextant.ingest.otlp.LimitSettings;
import dev.sextant.ingest.otlp.OtlpLogNormalizer;
import dev.sextant.storage.StorageComponent;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Log exports, from either transport: normalised, written to the store, answered after. */
@ApplicationScoped
public class LogIngestor {
  private final IngestFlow flow;
  private final StorageComponent storage;
  private final OtlpLogNormalizer normalizer;

  @Inject
  public LogIngestor(IngestFlow flow, StorageComponent storage, IngestConfig config) {
    this.flow = flow;
    this.storage = storage;
    this.normalizer =
        new OtlpLogNormalizer(LimitSettings.from(config.limits()), config.maxClockSkew());
  }

  public Uni<ExportLogsServiceResponse> export(
      String tenant, ExportLogsServiceRequest request, Transport transport) {
    return flow.run(
            Signal.LOGS,
            transport,
            OtlpLogNormalizer.count(request),
            () -> normalizer.normalize(tenant, request, WallClock.nowUnixNanos()),
            records -> storage.logs().write(records).replaceWith(Delivery.ALL))
        .map(LogIngestor::response);
  }

  private static ExportLogsServiceResponse response(ExportResult result) {
    ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
    if (result.partial()) {
      response.setPartialSuccess(
          ExportLogsPartialSuccess.newBuilder()
              .setRejectedLogRecords(result.rejected())
              .setErrorMessage(result.message()));
    }
    return response.build();
  }
}
