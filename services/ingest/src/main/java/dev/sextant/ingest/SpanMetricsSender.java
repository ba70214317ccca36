package dev.sextant.ingest;

import dev.sextant.ingest.pipeline.MetricPipelineClient;
import dev.sextant.ingest.spanmetrics.SpanMetrics;
import dev.sextant.model.Span;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Sends the metrics derived from committed spans to the aggregator without making the spans' answer
 * wait: the spans are stored whatever happens to their metrics. Points that cannot be delivered (no
 * aggregator, a full pipeline) are dropped and counted, never retried, because a retry of additive
 * points after a lost acknowledgement would count them twice.
 */
@ApplicationScoped
public class SpanMetricsSender {
  private final boolean enabled;
  private final SpanMetrics derivation;
  private final MetricPipelineClient pipeline;
  private final IngestMetrics metrics;

  @Inject
  public SpanMetricsSender(
      IngestConfig config, MetricPipelineClient pipeline, IngestMetrics metrics) {
    this.enabled = config.spanMetrics().enabled();
    this.derivation = new SpanMetrics(config.spanMetrics().durationBuckets());
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  void afterCommit(String tenant, List<Span> spans) {
    if (!enabled || spans.isEmpty()) {
      return;
    }
    List<MetricPoint> points = derivation.derive(spans, WallClock.nowUnixNanos());
    pipeline
        .send(tenant, points, true)
        .subscribe()
        .with(
            delivery -> {
              metrics.spanMetrics("sent", points.size() - delivery.rejected());
              metrics.spanMetrics("dropped", delivery.rejected());
            },
            failure -> metrics.spanMetrics("dropped", points.size()));
  }
}
