package dev.sextant.ingest.grpc;

import dev.sextant.ingest.LogIngestor;
import dev.sextant.ingest.Signal;
import dev.sextant.ingest.Transport;
import dev.sextant.ingest.admission.IngestAdmission;
import io.grpc.ServerServiceDefinition;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.MutinyLogsServiceGrpc;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** OTLP/gRPC logs ({@code opentelemetry.proto.collector.logs.v1.LogsService/Export}). */
@GrpcService
public class OtlpLogsGrpcService extends MutinyLogsServiceGrpc.LogsServiceImplBase {
  @Inject GrpcExports exports;
  @Inject IngestAdmission admission;
  @Inject LogIngestor ingestor;

  @Override
  public Uni<ExportLogsServiceResponse> export(ExportLogsServiceRequest request) {
    return exports.export(
        Signal.LOGS,
        request,
        (tenant, r) -> ingestor.export(tenant, r, Transport.GRPC),
        ExportLogsServiceResponse::hasPartialSuccess);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return StrictRequestParsing.wrap(super.bindService(), admission);
  }
}
