package dev.sextant.storage;

import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.storage.retention.RetentionStore;

/**
 * A storage backend: one object that owns the connections for all signals. Methods added to the SPI
 * later get default bodies so existing backends keep compiling.
 */
public abstract class StorageComponent implements AutoCloseable {

  /** Opens files or connections and brings the schema up to date. Idempotent. */
  public abstract void start();

  public abstract SpanStore spans();

  public abstract LogStore logs();

  public abstract MetricStore metrics();

  /**
   * Retention policies, runs, leases and per-signal deletion (ADR 0011). By default a backend has
   * none, and every call fails with {@code INVALID_ARGUMENT}.
   */
  public RetentionStore retention() {
    return RetentionStore.unsupported(capabilities().kind());
  }

  /** Span inputs and outputs, apart from the spans. */
  public abstract PayloadStore payloads();

  /** Raw metric observations (Mastra's metric events), apart from metric series. */
  public abstract EventStore<MetricEvent> metricEvents();

  public abstract EventStore<Score> scores();

  public abstract EventStore<Feedback> feedback();

  public abstract Capabilities capabilities();

  /** Whether the backend can serve reads and writes now; never throws. */
  public abstract CheckResult check();

  @Override
  public abstract void close();
}
