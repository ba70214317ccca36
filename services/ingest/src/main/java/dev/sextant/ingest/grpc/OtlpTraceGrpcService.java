package dev.sextant.ingest.grpc;

import dev.sextant.ingest.Signal;
import dev.sextant.ingest.SpanIngestor;
import dev.sextant.ingest.Transport;
import dev.sextant.ingest.admission.IngestAdmission;
import io.grpc.ServerServiceDefinition;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.MutinyTraceServiceGrpc;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * OTLP/gRPC traces ({@code opentelemetry.proto.collector.trace.v1.TraceService/Export}).
 *
 * <p>The three OTLP services extend the generated Mutiny base class rather than implementing the
 * Mutiny interface, because only the base class lets them rebind with {@link StrictRequestParsing}:
 * a malformed request must be INVALID_ARGUMENT, not grpc-java's UNKNOWN.
 */
@GrpcService
public class OtlpTraceGrpcService extends MutinyTraceServiceGrpc.TraceServiceImplBase {
  @Inject GrpcExports exports;
  @Inject IngestAdmission admission;
  @Inject SpanIngestor ingestor;

  @Override
  public Uni<ExportTraceServiceResponse> export(ExportTraceServiceRequest request) {
    return exports.export(
        Signal.TRACES,
        request,
        (tenant, r) -> ingestor.export(tenant, r, Transport.GRPC),
        ExportTraceServiceResponse::hasPartialSuccess);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return StrictRequestParsing.wrap(super.bindService(), admission);
  }
}
