package dev.sextant.query.core;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.Span;
import dev.sextant.query.QueryConfig;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceSummary;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Every read the query service answers, for one tenant, over validated requests. REST and gRPC are
 * thin adapters around it, so both APIs mean the same thing by the same request.
 */
@ApplicationScoped
public class QueryFacade {
  private final StorageComponent storage;
  private final QueryConfig config;

  @Inject
  public QueryFacade(StorageComponent storage, QueryConfig config) {
    this.storage = storage;
    this.config = config;
  }

  /** The trace as a forest (see {@link SpanTree}); fails NOT_FOUND when no span is stored. */
  public Uni<List<SpanNode>> trace(String tenant, String traceId) {
    return spans(tenant, traceId).map(spans -> SpanTree.build(spans, config.maxTreeDepth()));
  }

  /** The stored spans of the trace; fails NOT_FOUND when there are none. */
  public Uni<List<Span>> spans(String tenant, String traceId) {
    return storage
        .spans()
        .trace(tenant, traceId)
        .map(
            spans -> {
              if (spans.isEmpty()) {
                throw QueryException.notFound("trace " + traceId + " not found");
              }
              return spans;
            });
  }

  public Uni<List<TraceSummary>> searchTraces(String tenant, TraceSearch search) {
    return storage.spans().search(search.toQuery(tenant));
  }

  public Uni<List<LogRecord>> searchLogs(String tenant, LogSearch search) {
    return storage.logs().search(search.toQuery(tenant));
  }

  public Uni<List<String>> metricNames(String tenant, TimeRange range) {
    return storage.metrics().metricNames(tenant, range);
  }

  public Uni<List<MetricSeries>> series(
      String tenant, List<LabelMatcher> matchers, TimeRange range) {
    return storage.metrics().series(new SeriesQuery(tenant, matchers, range));
  }

  /** Which metrics and labels make the tenant's series in the window, {@code limit} of each. */
  public Uni<Cardinality> cardinality(String tenant, TimeRange range, int limit) {
    return storage
        .metrics()
        .series(new SeriesQuery(tenant, List.of(), range))
        .map(all -> Cardinality.of(all, limit));
  }

  public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
    return storage.metrics().points(tenant, seriesId, range);
  }
}
