package dev.sextant.retention;

import dev.sextant.model.Feedback;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Score;
import dev.sextant.model.Span;
import dev.sextant.storage.Capabilities;
import dev.sextant.storage.CheckResult;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.PayloadStore;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.memory.InMemoryStorage;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * A store whose deletes the test answers: each signal's delete returns what the test set for it, by
 * default a pending future the test completes. Records the cutoffs it was asked for. Only the
 * deletes are used by retention; the other operations are not part of these tests.
 */
final class ControlledStorage extends StorageComponent {
  private final Map<Signal, LongFunction<Uni<Long>>> deletes = new EnumMap<>(Signal.class);
  private final Map<Signal, CompletableFuture<Long>> pending = new EnumMap<>(Signal.class);
  private final Map<Signal, Long> cutoffs = new EnumMap<>(Signal.class);

  ControlledStorage() {
    for (Signal signal : Signal.values()) {
      deletes.put(signal, cutoff -> Uni.createFrom().completionStage(newPending(signal)));
    }
  }

  /** Makes the signal's deletes answer this way from now on. */
  void answer(Signal signal, LongFunction<Uni<Long>> delete) {
    deletes.put(signal, delete);
  }

  /** Completes the signal's pending delete with a row count. */
  void complete(Signal signal, long rows) {
    CompletableFuture<Long> delete;
    synchronized (this) {
      delete = pending.remove(signal);
    }
    if (delete == null) {
      throw new IllegalStateException("no delete of " + signal + " is pending");
    }
    // Outside the lock: completing runs the next signal's delete on this thread.
    delete.complete(rows);
  }

  synchronized boolean isPending(Signal signal) {
    return pending.containsKey(signal);
  }

  synchronized Long cutoff(Signal signal) {
    return cutoffs.get(signal);
  }

  private synchronized CompletableFuture<Long> newPending(Signal signal) {
    CompletableFuture<Long> delete = new CompletableFuture<>();
    pending.put(signal, delete);
    return delete;
  }

  private Uni<Long> delete(Signal signal, long cutoff) {
    synchronized (this) {
      cutoffs.put(signal, cutoff);
    }
    return deletes.get(signal).apply(cutoff);
  }

  @Override
  public void start() {}

  @Override
  public SpanStore spans() {
    return new SpanStore() {
      @Override
      public Uni<Void> write(List<Span> spans) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<Span>> trace(String tenant, String traceId) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<TraceSummary>> search(TraceQuery query) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<Span>> roots(RootQuery query) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return delete(Signal.SPANS, cutoffUnixNanos);
      }
    };
  }

  @Override
  public LogStore logs() {
    return new LogStore() {
      @Override
      public Uni<Void> write(List<LogRecord> records) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<LogRecord>> search(LogQuery query) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return delete(Signal.LOGS, cutoffUnixNanos);
      }
    };
  }

  /** Retention's other deletes (payloads, events) are not under test here: they delete nothing. */
  private final InMemoryStorage others = startedMemory();

  private static InMemoryStorage startedMemory() {
    InMemoryStorage memory = new InMemoryStorage();
    memory.start();
    return memory;
  }

  @Override
  public PayloadStore payloads() {
    return others.payloads();
  }

  @Override
  public EventStore<MetricEvent> metricEvents() {
    return others.metricEvents();
  }

  @Override
  public EventStore<Score> scores() {
    return others.scores();
  }

  @Override
  public EventStore<Feedback> feedback() {
    return others.feedback();
  }

  @Override
  public MetricStore metrics() {
    return new MetricStore() {
      @Override
      public Uni<Void> write(List<MetricWrite> writes) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<Void> writeMetadata(List<MetricMetadata> metadata) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<MetricMetadata>> metadata(String tenant, String name) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<String>> metricNames(String tenant, TimeRange range) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<MetricSeries>> series(SeriesQuery query) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<List<Rollup>> rollups(
          String tenant, long seriesId, RollupTier tier, TimeRange range) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return delete(Signal.METRIC_POINTS, cutoffUnixNanos);
      }
    };
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities("controlled", false, 1);
  }

  @Override
  public CheckResult check() {
    return CheckResult.OK;
  }

  @Override
  public void close() {}
}
