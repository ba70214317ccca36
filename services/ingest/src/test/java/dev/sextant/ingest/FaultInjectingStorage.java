package dev.sextant.ingest;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.Feedback;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricEvent;
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
import dev.sextant.storage.memory.InMemoryStorage;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.RootQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.query.TraceSummary;
import dev.sextant.storage.retention.RetentionStore;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-memory backend, with span and log writes that a test can make fail (with a storage code)
 * or hold until released. A hand-written fake, no mocking library.
 */
public final class FaultInjectingStorage extends StorageComponent {
  private static final AtomicReference<StorageException> FAILURE = new AtomicReference<>();
  private static final AtomicReference<CompletableFuture<Void>> GATE =
      new AtomicReference<>(CompletableFuture.completedFuture(null));
  private static final AtomicInteger HELD = new AtomicInteger();

  private final InMemoryStorage delegate = new InMemoryStorage();
  private final SpanStore spans = new Spans();
  private final LogStore logs = new Logs();

  /** Every span, payload, log and event write fails with {@code failure} until {@link #heal()}. */
  public static void failWrites(StorageException failure) {
    FAILURE.set(failure);
  }

  /** Span, payload, log and event writes wait until {@link #heal()}. */
  public static void holdWrites() {
    GATE.set(new CompletableFuture<>());
  }

  /** Writes that reached the store while held and wait for {@link #heal()}. */
  public static int heldWrites() {
    return HELD.get();
  }

  public static void heal() {
    HELD.set(0);
    FAILURE.set(null);
    GATE.getAndSet(CompletableFuture.completedFuture(null)).complete(null);
  }

  private static <T> Uni<T> guarded(java.util.function.Supplier<Uni<T>> write) {
    StorageException failure = FAILURE.get();
    if (failure != null) {
      return Uni.createFrom().failure(failure);
    }
    CompletableFuture<Void> gate = GATE.get();
    if (!gate.isDone()) {
      HELD.incrementAndGet();
    }
    return Uni.createFrom().completionStage(gate).chain(ignored -> write.get());
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
  public PayloadStore payloads() {
    return new PayloadStore() {
      @Override
      public Uni<Void> write(List<SpanPayload> payloads) {
        return guarded(() -> delegate.payloads().write(payloads));
      }

      @Override
      public Uni<List<SpanPayload>> trace(String tenant, String traceId) {
        return delegate.payloads().trace(tenant, traceId);
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return delegate.payloads().deleteOlderThan(cutoffUnixNanos);
      }
    };
  }

  /** Guards the writes of an event store like those of spans and logs. */
  private static <E extends CorrelatedEvent> EventStore<E> guardedEvents(EventStore<E> store) {
    return new EventStore<>() {
      @Override
      public Uni<Void> write(List<E> events) {
        return guarded(() -> store.write(events));
      }

      @Override
      public Uni<List<E>> search(EventQuery query) {
        return store.search(query);
      }

      @Override
      public Uni<List<String>> names(String tenant, TimeRange range, int limit) {
        return store.names(tenant, range, limit);
      }

      @Override
      public Uni<java.util.NavigableMap<Long, double[]>> percentiles(
          dev.sextant.storage.query.EventSelection selection,
          long bucketNanos,
          double[] percentiles) {
        return store.percentiles(selection, bucketNanos, percentiles);
      }

      @Override
      public Uni<List<dev.sextant.storage.query.EventTotals>> totals(
          dev.sextant.storage.query.EventAggregation aggregation) {
        return store.totals(aggregation);
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return store.deleteOlderThan(cutoffUnixNanos);
      }
    };
  }

  @Override
  public EventStore<MetricEvent> metricEvents() {
    return guardedEvents(delegate.metricEvents());
  }

  @Override
  public EventStore<Score> scores() {
    return guardedEvents(delegate.scores());
  }

  @Override
  public EventStore<Feedback> feedback() {
    return guardedEvents(delegate.feedback());
  }

  @Override
  public MetricStore metrics() {
    return delegate.metrics();
  }

  @Override
  public RetentionStore retention() {
    return delegate.retention();
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

  private final class Spans implements SpanStore {
    @Override
    public Uni<Void> write(List<Span> batch) {
      return guarded(() -> delegate.spans().write(batch));
    }

    @Override
    public Uni<List<Span>> trace(String tenant, String traceId) {
      return delegate.spans().trace(tenant, traceId);
    }

    @Override
    public Uni<List<TraceSummary>> search(TraceQuery query) {
      return delegate.spans().search(query);
    }

    @Override
    public Uni<List<Span>> roots(RootQuery query) {
      return delegate.spans().roots(query);
    }

    @Override
    public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
      return delegate.spans().deleteOlderThan(cutoffUnixNanos);
    }
  }

  private final class Logs implements LogStore {
    @Override
    public Uni<Void> write(List<LogRecord> records) {
      return guarded(() -> delegate.logs().write(records));
    }

    @Override
    public Uni<List<LogRecord>> search(LogQuery query) {
      return delegate.logs().search(query);
    }

    @Override
    public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
      return delegate.logs().deleteOlderThan(cutoffUnixNanos);
    }
  }
}
