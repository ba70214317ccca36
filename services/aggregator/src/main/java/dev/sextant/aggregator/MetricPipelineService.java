package dev.sextant.aggregator;

import dev.sextant.protocol.pipeline.v1.MetricPipeline;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.protocol.pipeline.v1.WriteResponse;
import dev.sextant.service.auth.Principals;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;

/** The gRPC endpoint ingest streams metric batches to (scope {@code ingest}). */
@GrpcService
class MetricPipelineService implements MetricPipeline {
  private final AggregatorConfig config;
  private final BatchWriter writer;
  private final PipelineMetrics metrics;

  @Inject
  MetricPipelineService(AggregatorConfig config, BatchWriter writer, PipelineMetrics metrics) {
    if (config.creditWindow() < 1 || config.creditWindow() > AggregatorConfig.MAX_CREDIT_WINDOW) {
      throw new IllegalArgumentException(
          "sextant.aggregator.credit-window must be within 1.."
              + AggregatorConfig.MAX_CREDIT_WINDOW
              + ", got "
              + config.creditWindow());
    }
    if (config.maxPointsPerBatch() < 1) {
      throw new IllegalArgumentException("sextant.aggregator.max-points-per-batch must be >= 1");
    }
    if (config.writeTimeout().isNegative() || config.writeTimeout().isZero()) {
      throw new IllegalArgumentException("sextant.aggregator.write-timeout must be positive");
    }
    this.config = config;
    this.writer = writer;
    this.metrics = metrics;
  }

  @Override
  public Multi<WriteResponse> write(Multi<WriteRequest> requests) {
    // The caller is only known while the call starts: capture it for the stream's lifetime.
    return new PipelineStream(Principals.current(), config.creditWindow(), writer, metrics)
        .run(requests);
  }
}
