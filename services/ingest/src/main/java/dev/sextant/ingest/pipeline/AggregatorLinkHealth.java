package dev.sextant.ingest.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The metric stream's state in {@code /q/health}. Always up: spans and logs are served without the
 * aggregator, so its absence must not take ingest out of rotation; metric exports answer 503 on
 * their own meanwhile.
 */
@Readiness
@ApplicationScoped
public class AggregatorLinkHealth implements HealthCheck {
  @Inject MetricPipelineClient pipeline;

  @Override
  public HealthCheckResponse call() {
    LinkStatus status = pipeline.status();
    return HealthCheckResponse.named("aggregator-link")
        .up()
        .withData("state", status.state().name())
        .withData("shards", pipeline.shards())
        .withData("credits", status.credits())
        .withData("pendingAcks", status.pendingAcks())
        .withData("queued", status.queued())
        .withData("lastError", status.lastError())
        .build();
  }
}
