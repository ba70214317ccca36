package dev.sextant.query.failure;

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
import dev.sextant.storage.StorageException;
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
import java.util.List;
import java.util.Map;

/**
 * A hand-written fake backend whose every call fails with the code a test sets, and a message that
 * carries internals a client must never see.
 */
final class FailingStorage extends StorageComponent {
  static final String SECRET_DETAIL = "disk on fire at /var/lib/secret/spans.db";

  static volatile StorageException.Code failWith = StorageException.Code.UNAVAILABLE;

  private static <T> Uni<T> fail() {
    return Uni.createFrom().failure(new StorageException(failWith, SECRET_DETAIL));
  }

  @Override
  public void start() {}

  @Override
  public SpanStore spans() {
    return new SpanStore() {
      @Override
      public Uni<Void> write(List<Span> spans) {
        return fail();
      }

      @Override
      public Uni<List<Span>> trace(String tenant, String traceId) {
        return fail();
      }

      @Override
      public Uni<List<TraceSummary>> search(TraceQuery query) {
        return fail();
      }

      @Override
      public Uni<List<Span>> roots(RootQuery query) {
        return fail();
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return fail();
      }
    };
  }

  @Override
  public LogStore logs() {
    return new LogStore() {
      @Override
      public Uni<Void> write(List<LogRecord> records) {
        return fail();
      }

      @Override
      public Uni<List<LogRecord>> search(LogQuery query) {
        return fail();
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return fail();
      }
    };
  }

  @Override
  public PayloadStore payloads() {
    return new PayloadStore() {
      @Override
      public Uni<Void> write(List<dev.sextant.model.SpanPayload> payloads) {
        return fail();
      }

      @Override
      public Uni<List<dev.sextant.model.SpanPayload>> trace(String tenant, String traceId) {
        return fail();
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return fail();
      }
    };
  }

  private static <E extends dev.sextant.model.CorrelatedEvent> EventStore<E> failingEvents() {
    return new EventStore<>() {
      @Override
      public Uni<Void> write(List<E> events) {
        return fail();
      }

      @Override
      public Uni<List<E>> search(dev.sextant.storage.query.EventQuery query) {
        return fail();
      }

      @Override
      public Uni<List<String>> names(
          String tenant, dev.sextant.storage.query.TimeRange range, int limit) {
        return fail();
      }

      @Override
      public Uni<java.util.NavigableMap<Long, double[]>> percentiles(
          dev.sextant.storage.query.EventSelection selection,
          long bucketNanos,
          double[] percentiles) {
        return fail();
      }

      @Override
      public Uni<List<dev.sextant.storage.query.EventTotals>> totals(
          dev.sextant.storage.query.EventAggregation aggregation) {
        return fail();
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return fail();
      }
    };
  }

  @Override
  public EventStore<MetricEvent> metricEvents() {
    return failingEvents();
  }

  @Override
  public EventStore<Score> scores() {
    return failingEvents();
  }

  @Override
  public EventStore<Feedback> feedback() {
    return failingEvents();
  }

  @Override
  public MetricStore metrics() {
    return new MetricStore() {
      @Override
      public Uni<Void> write(List<MetricWrite> writes) {
        return fail();
      }

      @Override
      public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
        return fail();
      }

      @Override
      public Uni<Void> writeMetadata(List<MetricMetadata> metadata) {
        return fail();
      }

      @Override
      public Uni<List<MetricMetadata>> metadata(String tenant, String name) {
        return fail();
      }

      @Override
      public Uni<List<String>> metricNames(String tenant, TimeRange range) {
        return fail();
      }

      @Override
      public Uni<List<MetricSeries>> series(SeriesQuery query) {
        return fail();
      }

      @Override
      public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
        return fail();
      }

      @Override
      public Uni<List<Rollup>> rollups(
          String tenant, long seriesId, RollupTier tier, TimeRange range) {
        return fail();
      }

      @Override
      public Uni<Long> rollupsCompleteBefore(String tenant) {
        return fail();
      }

      @Override
      public Uni<Long> pointsRemovedBefore(String tenant) {
        return fail();
      }

      @Override
      public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
        return fail();
      }
    };
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities("failing", false, 1);
  }

  @Override
  public CheckResult check() {
    return new CheckResult(false, "failing on purpose");
  }

  @Override
  public void close() {}
}
