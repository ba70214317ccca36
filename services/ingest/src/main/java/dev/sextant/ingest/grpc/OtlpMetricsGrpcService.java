package dev.sextant.ingest.grpc;

import dev.sextant.ingest.MetricIngestor;
import dev.sextant.ingest.Signal;
import dev.sextant.ingest.Transport;
import dev.sextant.ingest.admission.IngestAdmission;
import io.grpc.ServerServiceDefinition;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MutinyMetricsServiceGrpc;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** OTLP/gRPC metrics ({@code opentelemetry.proto.collector.metrics.v1.MetricsService/Export}). */
@GrpcService
public class OtlpMetricsGrpcService extends MutinyMetricsServiceGrpc.MetricsServiceImplBase {
  @Inject GrpcExports exports;
  @Inject IngestAdmission admission;
  @Inject MetricIngestor ingestor;

  @Override
  public Uni<ExportMetricsServiceResponse> export(ExportMetricsServiceRequest request) {
    return exports.export(
        Signal.METRICS,
        request,
        (tenant, r) -> ingestor.export(tenant, r, Transport.GRPC),
        ExportMetricsServiceResponse::hasPartialSuccess);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return StrictRequestParsing.wrap(super.bindService(), admission);
  }
}
