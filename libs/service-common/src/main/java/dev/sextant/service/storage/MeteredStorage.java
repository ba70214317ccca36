package dev.sextant.service.storage;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.Feedback;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Score;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import dev.sextant.storage.Capabilities;
import dev.sextant.storage.CheckResult;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.PayloadStore;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.StepSampling;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import dev.sextant.storage.retention.RetentionStore;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A decorator that times every storage call and counts its failures by code, published as {@code
 * sextant_store_seconds{signal,op,outcome}}. Backends stay free of metrics code.
 */
final class MeteredStorage extends StorageComponent {
  private final StorageComponent delegate;
  private final MeterRegistry registry;
  private final SpanStore spans;
  private final LogStore logs;
  private final MetricStore metrics;
  private final RetentionStore retention;
  private final PayloadStore payloads;
  private final EventStore<MetricEvent> metricEvents;
  private final EventStore<Score> scores;
  private final EventStore<Feedback> feedback;

  MeteredStorage(StorageComponent delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
    this.spans = new MeteredSpans(delegate.spans());
    this.logs = new MeteredLogs(delegate.logs());
    this.metrics = new MeteredMetrics(delegate.metrics());
    this.retention = new MeteredRetention(delegate.retention(), this::timed);
    this.payloads = new MeteredPayloads(delegate.payloads());
    this.metricEvents = new MeteredEvents<>("metric_events", delegate.metricEvents());
    this.scores = new MeteredEvents<>("scores", delegate.scores());
    this.feedback = new MeteredEvents<>("feedback", delegate.feedback());
  }

  @Override
  public void start() {
    delegate.start();
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
    return delegate.capabilities();
  }

  @Override
  public CheckResult check() {
    return delegate.check();
  }

  @Override
  public void close() {
    delegate.close();
  }

  <T> Uni<T> timed(String signal, String op, Supplier<Uni<T>> call) {
    return Uni.createFrom()
        .deferred(
            () -> {
              long start = System.nanoTime();
              return call.get()
                  .onItemOrFailure()
                  .invoke(
                      (item, failure) ->
                          Timer.builder("sextant.store")
                              .description("Latency of storage calls")
                              .tag("signal", signal)
                              .tag("op", op)
                              .tag("outcome", outcome(failure))
                              .register(registry)
                              .record(
                                  System.nanoTime() - start,
                                  java.util.concurrent.TimeUnit.NANOSECONDS));
            });
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return "ok";
    }
    return failure instanceof StorageException e ? e.code().name().toLowerCase() : "internal";
  }

  private final class MeteredSpans implements SpanStore {
    private final SpanStore delegate;

    MeteredSpans(SpanStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Uni<Void> write(List<Span> batch) {
      return timed("spans", "write", () -> delegate.write(batch));
    }

    @Override
    public Uni<List<Span>> trace(String tenant, String traceId) {
      return timed("spans", "trace", () -> delegate.trace(tenant, traceId));
    }

    @Override
    public Uni<List<TraceSummary>> search(TraceQuery query) {
      return timed("spans", "search", () -> delegate.search(query));
    }

    @Override
    public Uni<List<Span>> roots(RootQuery query) {
      return timed("spans", "roots", () -> delegate.roots(query));
    }

    @Override
    public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
      return timed("spans", "delete", () -> delegate.deleteOlderThan(cutoffUnixNanos));
    }
  }

  private final class MeteredPayloads implements PayloadStore {
    private final PayloadStore delegate;

    MeteredPayloads(PayloadStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Uni<Void> write(List<SpanPayload> batch) {
      return timed("payloads", "write", () -> delegate.write(batch));
    }

    @Override
    public Uni<List<SpanPayload>> trace(String tenant, String traceId) {
      return timed("payloads", "trace", () -> delegate.trace(tenant, traceId));
    }

    @Override
    public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
      return timed("payloads", "delete", () -> delegate.deleteOlderThan(cutoffUnixNanos));
    }
  }

  private final class MeteredEvents<E extends CorrelatedEvent> implements EventStore<E> {
    private final String signal;
    private final EventStore<E> delegate;

    MeteredEvents(String signal, EventStore<E> delegate) {
      this.signal = signal;
      this.delegate = delegate;
    }

    @Override
    public Uni<Void> write(List<E> events) {
      return timed(signal, "write", () -> delegate.write(events));
    }

    @Override
    public Uni<List<E>> search(EventQuery query) {
      return timed(signal, "search", () -> delegate.search(query));
    }

    @Override
    public Uni<List<String>> names(String tenant, TimeRange range, int limit) {
      return timed(signal, "names", () -> delegate.names(tenant, range, limit));
    }

    @Override
    public Uni<NavigableMap<Long, double[]>> percentiles(
        EventSelection selection, long bucketNanos, double[] percentiles) {
      return timed(
          signal, "percentiles", () -> delegate.percentiles(selection, bucketNanos, percentiles));
    }

    @Override
    public Uni<List<EventTotals>> totals(EventAggregation aggregation) {
      return timed(signal, "totals", () -> delegate.totals(aggregation));
    }

    @Override
    public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
      return timed(signal, "delete", () -> delegate.deleteOlderThan(cutoffUnixNanos));
    }
  }

  private final class MeteredLogs implements LogStore {
    private final LogStore delegate;

    MeteredLogs(LogStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Uni<Void> write(List<LogRecord> records) {
      return timed("logs", "write", () -> delegate.write(records));
    }

    @Override
    public Uni<List<LogRecord>> search(LogQuery query) {
      return timed("logs", "search", () -> delegate.search(query));
    }

    @Override
    public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
      return timed("logs", "delete", () -> delegate.deleteOlderThan(cutoffUnixNanos));
    }
  }

  private final class MeteredMetrics implements MetricStore {
    private final MetricStore delegate;

    MeteredMetrics(MetricStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean readsCompleteOnCaller() {
      return delegate.readsCompleteOnCaller();
    }

    @Override
    public Uni<Void> write(List<MetricWrite> writes) {
      return timed("metrics", "write", () -> delegate.write(writes));
    }

    @Override
    public Uni<Void> startWriting() {
      return timed("metrics", "start_writing", delegate::startWriting);
    }

    @Override
    public Uni<Void> flush() {
      return timed("metrics", "flush", delegate::flush);
    }

    @Override
    public Uni<Map<Long, List<MetricPoint>>> points(
        String tenant, Collection<Long> seriesIds, TimeRange range) {
      return timed("metrics", "points_of_many", () -> delegate.points(tenant, seriesIds, range));
    }

    @Override
    public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
      return timed("metrics", "latest_points", () -> delegate.latestPoints(tenant, seriesIds));
    }

    @Override
    public Uni<Void> writeMetadata(List<MetricMetadata> metadata) {
      return timed("metrics", "write_metadata", () -> delegate.writeMetadata(metadata));
    }

    @Override
    public Uni<List<MetricMetadata>> metadata(String tenant, String name) {
      return timed("metrics", "metadata", () -> delegate.metadata(tenant, name));
    }

    @Override
    public Uni<List<String>> metricNames(String tenant, TimeRange range) {
      return timed("metrics", "names", () -> delegate.metricNames(tenant, range));
    }

    @Override
    public Uni<List<MetricSeries>> series(SeriesQuery query) {
      return timed("metrics", "series", () -> delegate.series(query));
    }

    @Override
    public Uni<List<SeriesPoints>> seriesPoints(
        SeriesQuery query, StepSampling sampling, Predicate<MetricSeries> read) {
      return timed("metrics", "series_points", () -> delegate.seriesPoints(query, sampling, read));
    }

    @Override
    public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
      return timed("metrics", "points", () -> delegate.points(tenant, seriesId, range));
    }

    @Override
    public Uni<List<Rollup>> rollups(
        String tenant, long seriesId, RollupTier tier, TimeRange range) {
      return timed("metrics", "rollups", () -> delegate.rollups(tenant, seriesId, tier, range));
    }

    @Override
    public Uni<Long> rollupsCompleteBefore(String tenant) {
      return timed(
          "metrics", "rollups_complete_before", () -> delegate.rollupsCompleteBefore(tenant));
    }

    @Override
    public Uni<Long> pointsRemovedBefore(String tenant) {
      return timed("metrics", "points_removed_before", () -> delegate.pointsRemovedBefore(tenant));
    }

    @Override
    public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
      return timed("metrics", "delete", () -> delegate.deleteOlderThan(cutoffUnixNanos));
    }
  }
}
