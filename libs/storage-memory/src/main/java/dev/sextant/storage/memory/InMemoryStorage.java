package dev.sextant.storage.memory;

import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.storage.Capabilities;
import dev.sextant.storage.CheckResult;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.PayloadStore;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.retention.RetentionStore;

/**
 * A storage backend that keeps everything in the heap: for tests, and the reference semantics every
 * other backend is compared with. Thread-safe; data is gone when the object is.
 */
public final class InMemoryStorage extends StorageComponent {

  private static final Capabilities CAPABILITIES = new Capabilities("memory", false, 1_000_000);

  private final Lifecycle lifecycle = new Lifecycle();
  private final InMemorySpanStore spans = new InMemorySpanStore(lifecycle);
  private final InMemoryLogStore logs = new InMemoryLogStore(lifecycle);
  private final InMemoryMetricStore metrics = new InMemoryMetricStore(lifecycle);
  private final InMemoryRetentionStore retention =
      new InMemoryRetentionStore(lifecycle, spans, logs, metrics);
  private final InMemoryPayloadStore payloads = new InMemoryPayloadStore(lifecycle);
  private final InMemoryEventStore<MetricEvent> metricEvents = new InMemoryEventStore<>(lifecycle);
  private final InMemoryEventStore<Score> scores = new InMemoryEventStore<>(lifecycle);
  private final InMemoryEventStore<Feedback> feedback = new InMemoryEventStore<>(lifecycle);

  @Override
  public void start() {
    lifecycle.start();
  }

  @Override
  public SpanStore spans() {
    return spans;
  }

  @Override
  public LogStore logs() {
    return logs;
  }

  @Override
  public MetricStore metrics() {
    return metrics;
  }

  @Override
  public RetentionStore retention() {
    return retention;
  }

  @Override
  public PayloadStore payloads() {
    return payloads;
  }

  @Override
  public EventStore<MetricEvent> metricEvents() {
    return metricEvents;
  }

  @Override
  public EventStore<Score> scores() {
    return scores;
  }

  @Override
  public EventStore<Feedback> feedback() {
    return feedback;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public CheckResult check() {
    try {
      lifecycle.requireOpen();
      return CheckResult.OK;
    } catch (StorageException e) {
      return CheckResult.failed(e);
    }
  }

  @Override
  public void close() {
    lifecycle.close();
    spans.clear();
    logs.clear();
    metrics.clear();
    retention.clear();
    payloads.clear();
    metricEvents.clear();
    scores.clear();
    feedback.clear();
  }
}
