package dev.sextant.query.core;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.Span;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.tracespec.AttributePredicate;
import dev.sextant.tracespec.MatchResult;
import dev.sextant.tracespec.MetricExpectation;
import dev.sextant.tracespec.RecordOptions;
import dev.sextant.tracespec.SeriesSamples;
import dev.sextant.tracespec.SpecFormat;
import dev.sextant.tracespec.SpecParser;
import dev.sextant.tracespec.TraceDiff;
import dev.sextant.tracespec.TraceMatcher;
import dev.sextant.tracespec.TraceRecorder;
import dev.sextant.tracespec.TraceSpec;
import dev.sextant.tracespec.TraceSpecException;
import dev.sextant.tracespec.TraceTelemetry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * TraceSpec over stored traces, for one tenant: check a trace (its spans, and the logs and metric
 * series its spec expects) against a spec, record a trace into a spec, diff two traces. A spec that
 * cannot be read, or whose check runs out of its budget, is the caller's to fix: bad input, with
 * the reason.
 */
@ApplicationScoped
public class TraceShapes {
  /** Most logs of one trace a check or record reads; a trace with more is refused, not cut. */
  static final int MAX_LOGS = LogQuery.MAX_LIMIT;

  private final QueryFacade facade;

  @Inject
  public TraceShapes(QueryFacade facade) {
    this.facade = facade;
  }

  /** Reads a spec sent by a client; a malformed one is bad input naming the place. */
  public static TraceSpec parse(String body, SpecFormat format) {
    return refusingBadSpecs(() -> SpecParser.parse(body, format));
  }

  public Uni<MatchResult> check(String tenant, String traceId, TraceSpec spec) {
    return facade
        .spans(tenant, traceId)
        .chain(spans -> telemetry(tenant, traceId, spec, spans))
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(trace -> refusingBadSpecs(() -> TraceMatcher.check(spec, trace)));
  }

  /** Records the spans, and with {@code withLogs} the logs linked to the trace. */
  public Uni<TraceSpec> record(
      String tenant, String traceId, RecordOptions options, boolean withLogs) {
    return spans(tenant, traceId)
        .chain(
            spans ->
                (withLogs ? logs(tenant, traceId) : Uni.createFrom().item(List.<LogRecord>of()))
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(logs -> TraceRecorder.record(spans, logs, options)));
  }

  public Uni<TraceDiff> diff(String tenant, String a, String b) {
    return spans(tenant, a)
        .chain(spansA -> spans(tenant, b).map(spansB -> TraceDiff.of(spansA, spansB)));
  }

  /**
   * The trace's spans, delivered on a worker thread: a check may take a few hundred milliseconds
   * within its budget, which belongs neither on the event loop nor on a store's own threads.
   */
  private Uni<List<Span>> spans(String tenant, String traceId) {
    return facade.spans(tenant, traceId).emitOn(Infrastructure.getDefaultWorkerPool());
  }

  /** What the spec checks besides spans: logs and series are read only when it expects them. */
  private Uni<TraceTelemetry> telemetry(
      String tenant, String traceId, TraceSpec spec, List<Span> spans) {
    Uni<List<LogRecord>> logs =
        spec.logs().isEmpty() ? Uni.createFrom().item(List.of()) : logs(tenant, traceId);
    return logs.chain(l -> metrics(tenant, spec, spans).map(m -> new TraceTelemetry(spans, l, m)));
  }

  private Uni<List<LogRecord>> logs(String tenant, String traceId) {
    LogSearch search = new LogSearch(TimeRange.ALL, null, traceId, null, Map.of(), null, MAX_LOGS);
    return facade
        .searchLogs(tenant, search)
        .map(
            logs -> {
              if (logs.size() >= MAX_LOGS) {
                throw RejectedRequestException.badInput(
                    "spec too expensive: the trace has "
                        + MAX_LOGS
                        + " logs or more; log expectations read at most that many");
              }
              return logs;
            });
  }

  /**
   * The series each metric expectation may mean, with their samples over the spec's window. The
   * metric name and literal label values are pushed down to the store (as a PromQL selector would);
   * the rest is judged by the matcher.
   */
  private Uni<List<SeriesSamples>> metrics(String tenant, TraceSpec spec, List<Span> spans) {
    if (spec.metrics().isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    long[] window = TraceTelemetry.metricRange(spec, spans);
    TimeRange range = new TimeRange(window[0], window[1]);
    return Multi.createFrom()
        .iterable(spec.metrics())
        .onItem()
        .transformToUniAndConcatenate(m -> facade.series(tenant, selector(m), range))
        .collect()
        .in(LinkedHashMap<Long, MetricSeries>::new, (all, found) -> addAll(all, found))
        .chain(
            all ->
                Multi.createFrom()
                    .iterable(new ArrayList<>(all.values()))
                    .onItem()
                    .transformToUniAndConcatenate(
                        s -> facade.points(tenant, s.id(), range).map(p -> new SeriesSamples(s, p)))
                    .collect()
                    .asList());
  }

  private static void addAll(Map<Long, MetricSeries> all, List<MetricSeries> found) {
    for (MetricSeries s : found) {
      all.putIfAbsent(s.id(), s);
    }
    if (all.size() > TraceTelemetry.MAX_SERIES) {
      throw RejectedRequestException.badInput(
          "spec too expensive: its metric expectations name more than "
              + TraceTelemetry.MAX_SERIES
              + " series in the trace's window; name metrics and labels more narrowly");
    }
  }

  private static List<LabelMatcher> selector(MetricExpectation m) {
    List<LabelMatcher> out = new ArrayList<>();
    out.add(
        m.name().isLiteral()
            ? LabelMatcher.equal(LabelMatcher.METRIC_NAME, m.name().literalText())
            : LabelMatcher.of(
                LabelMatcher.METRIC_NAME, LabelMatcher.Type.REGEX, m.name().regexSource()));
    for (Map.Entry<String, AttributePredicate> e : m.labels().entrySet()) {
      if (e.getValue() instanceof AttributePredicate.Equals eq
          && eq.expected() instanceof String value) {
        out.add(LabelMatcher.equal(e.getKey(), value));
      }
    }
    return out;
  }

  private static <T> T refusingBadSpecs(Supplier<T> work) {
    try {
      return work.get();
    } catch (TraceSpecException e) {
      String prefix =
          switch (e.reason()) {
            case INVALID_SPEC -> "invalid spec: ";
            case TOO_EXPENSIVE -> "spec too expensive: ";
          };
      throw RejectedRequestException.badInput(prefix + e.getMessage());
    }
  }
}
