package dev.sextant.ingest.mastra;

import dev.sextant.ingest.IngestConfig;
import dev.sextant.ingest.IngestMetrics;
import dev.sextant.ingest.WallClock;
import dev.sextant.ingest.pipeline.MetricPipelineClient;
import dev.sextant.model.MetricEvent;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Sends committed metric events to the aggregator as series, without making the answer wait:
 * undeliverable points are dropped and counted, never retried (a retried additive batch would count
 * twice), as span-derived metrics are.
 */
@ApplicationScoped
public class MetricEventSender {
  private final boolean enabled;
  private final MetricEventSeries series;
  private final MetricPipelineClient pipeline;
  private final IngestMetrics metrics;

  @Inject
  public MetricEventSender(
      IngestConfig config, MetricPipelineClient pipeline, IngestMetrics metrics) {
    this.enabled = config.mastra().eventMetrics();
    this.series = new MetricEventSeries(config.mastra().durationBuckets());
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  public void afterCommit(String tenant, List<MetricEvent> events) {
    if (!enabled || events.isEmpty()) {
      return;
    }
    List<MetricPoint> points = series.points(events, WallClock.nowUnixNanos());
    pipeline
        .send(tenant, points, true)
        .subscribe()
        .with(
            delivery -> {
              metrics.eventMetrics("sent", points.size() - delivery.rejected());
              metrics.eventMetrics("dropped", delivery.rejected());
            },
            failure -> metrics.eventMetrics("dropped", points.size()));
  }
}
