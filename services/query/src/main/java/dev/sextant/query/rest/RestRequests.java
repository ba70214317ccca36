package dev.sextant.query.rest;

import dev.sextant.query.QueryConfig;
import dev.sextant.query.core.LogSearch;
import dev.sextant.query.core.NowSource;
import dev.sextant.query.core.TraceSearch;
import dev.sextant.query.metrics.MetricQuery;
import dev.sextant.query.request.AttributeFilters;
import dev.sextant.query.request.Echo;
import dev.sextant.query.request.HttpParams;
import dev.sextant.query.request.SeverityParam;
import dev.sextant.query.request.StatusParam;
import dev.sextant.query.request.TimeWindow;
import dev.sextant.query.request.TraceIds;
import dev.sextant.query.selector.SelectorParser;
import dev.sextant.service.errors.Failures;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.tracespec.SpecFormat;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads REST query parameters into validated requests. Every parameter is documented in README. */
@ApplicationScoped
public class RestRequests {
  static final Set<String> TRACE_SEARCH =
      Set.of(
          "service",
          "name",
          "status",
          "minDuration",
          "maxDuration",
          "start",
          "end",
          "attr",
          "limit");
  static final Set<String> LOG_SEARCH =
      Set.of("start", "end", "severity", "traceId", "service", "attr", "contains", "limit");
  static final Set<String> RANGE = Set.of("start", "end");
  static final Set<String> RECORD_SPEC = Set.of("format", "generalise", "logs");
  static final Set<String> DIFF = Set.of("a", "b");
  static final Set<String> SERIES = Set.of("match", "start", "end");
  static final Set<String> POINTS = Set.of("series", "start", "end");
  static final Set<String> CARDINALITY = Set.of("start", "end", "limit");
  static final Set<String> METRIC_QUERY =
      Set.of(
          "metric",
          "aggregation",
          "groupBy",
          "filter",
          "interval",
          "percentile",
          "start",
          "end",
          "limit");

  /** The most metrics and labels a cardinality answer lists. */
  static final int MAX_CARDINALITY_LIMIT = 1000;

  private final QueryConfig config;
  private final NowSource now;

  @Inject
  public RestRequests(QueryConfig config, NowSource now) {
    this.config = config;
    this.now = now;
  }

  /** A cardinality request: the window and how many metrics and labels to list. */
  public record CardinalityRequest(TimeRange range, int limit) {}

  public CardinalityRequest cardinality(RoutingContext rc) {
    HttpParams p = params(rc, CARDINALITY);
    return new CardinalityRequest(range(p), p.limit("limit", 10, MAX_CARDINALITY_LIMIT));
  }

  /**
   * A metric query: {@code metric} (required), {@code aggregation}, {@code groupBy} and {@code
   * filter=label=value} (repeatable), {@code interval} (1m, 5m, 15m, 1h, 1d), {@code percentile}
   * (repeatable, 0..1), {@code start}, {@code end}, {@code limit} (breakdowns).
   */
  public MetricQuery metricQuery(RoutingContext rc) {
    HttpParams p = params(rc, METRIC_QUERY);
    Long interval = p.duration("interval");
    List<Double> percentiles = new ArrayList<>();
    for (String text : p.all("percentile")) {
      try {
        percentiles.add(Double.parseDouble(text));
      } catch (NumberFormatException e) {
        throw RejectedRequestException.badInput(
            "percentile must be a number within 0..1, got " + Echo.of(text));
      }
    }
    return MetricQuery.of(
        p.required("metric"),
        p.optional("aggregation"),
        p.all("groupBy"),
        AttributeFilters.parse("filter", p.all("filter")),
        interval == null ? null : Duration.ofNanos(interval),
        percentiles,
        range(p),
        p.limit("limit", 100, MetricQuery.MAX_LIMIT));
  }

  public String traceId(String pathId, RoutingContext rc) {
    params(rc, Set.of());
    return TraceIds.require("trace id", pathId);
  }

  /**
   * A record request: the trace, the text form of the spec, whether counts generalise and whether
   * the trace's logs are recorded too.
   */
  public record SpecRequest(
      String traceId, SpecFormat format, boolean generaliseCounts, boolean withLogs) {}

  public SpecRequest specRequest(String pathId, RoutingContext rc) {
    HttpParams p = params(rc, RECORD_SPEC);
    String id = TraceIds.require("trace id", pathId);
    String format = p.optional("format");
    SpecFormat f = SpecFormat.YAML;
    if (format != null) {
      f =
          switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "yaml" -> SpecFormat.YAML;
            case "json" -> SpecFormat.JSON;
            default ->
                throw RejectedRequestException.badInput(
                    "format must be yaml or json, got \"" + format + '"');
          };
    }
    return new SpecRequest(id, f, flag(p, "generalise"), flag(p, "logs"));
  }

  private static boolean flag(HttpParams p, String name) {
    String value = p.optional(name);
    if (value != null && !value.equals("true") && !value.equals("false")) {
      throw RejectedRequestException.badInput(
          name + " must be true or false, got \"" + value + '"');
    }
    return "true".equals(value);
  }

  /** The two traces of a diff. */
  public record DiffRequest(String a, String b) {}

  public DiffRequest diff(RoutingContext rc) {
    HttpParams p = params(rc, DIFF);
    return new DiffRequest(
        TraceIds.require("a", p.required("a")), TraceIds.require("b", p.required("b")));
  }

  public TraceSearch traceSearch(RoutingContext rc) {
    HttpParams p = params(rc, TRACE_SEARCH);
    String status = p.optional("status");
    return new TraceSearch(
        range(p),
        p.optional("service"),
        p.optional("name"),
        status == null ? null : StatusParam.parse("status", status),
        p.duration("minDuration"),
        p.duration("maxDuration"),
        AttributeFilters.parse("attr", p.all("attr")),
        p.limit("limit", config.defaultTraceLimit(), TraceQuery.MAX_LIMIT));
  }

  public LogSearch logSearch(RoutingContext rc) {
    HttpParams p = params(rc, LOG_SEARCH);
    String severity = p.optional("severity");
    String traceId = p.optional("traceId");
    return new LogSearch(
        range(p),
        severity == null ? null : SeverityParam.parse("severity", severity),
        traceId == null ? null : TraceIds.require("traceId", traceId),
        p.optional("service"),
        AttributeFilters.parse("attr", p.all("attr")),
        p.optional("contains"),
        p.limit("limit", config.defaultLogLimit(), LogQuery.MAX_LIMIT));
  }

  public TimeRange range(RoutingContext rc) {
    return range(params(rc, RANGE));
  }

  /** The matchers of {@code match} and the time range. */
  public record SeriesRequest(List<LabelMatcher> matchers, TimeRange range) {}

  public SeriesRequest series(RoutingContext rc) {
    HttpParams p = params(rc, SERIES);
    String match = p.required("match");
    List<LabelMatcher> matchers;
    try {
      matchers = SelectorParser.parse(match);
    } catch (IllegalArgumentException e) {
      throw RejectedRequestException.badInput("match: " + e.getMessage());
    }
    return new SeriesRequest(matchers, range(p));
  }

  /** The series id and the time range. */
  public record PointsRequest(long seriesId, TimeRange range) {}

  public PointsRequest points(RoutingContext rc) {
    HttpParams p = params(rc, POINTS);
    String series = p.required("series");
    long id;
    try {
      // An unsigned decimal, as the series listing prints it ('+' and '-' signs are refused).
      if (!series.matches("[0-9]{1,20}")) {
        throw new NumberFormatException();
      }
      id = Long.parseUnsignedLong(series);
    } catch (NumberFormatException e) {
      throw RejectedRequestException.badInput(
          "series must be a series id (an unsigned 64-bit decimal from /api/v1/metrics/series),"
              + " got "
              + Echo.of(series));
    }
    return new PointsRequest(id, range(p));
  }

  private HttpParams params(RoutingContext rc, Set<String> known) {
    MultiMap query;
    try {
      query = rc.queryParams();
    } catch (RuntimeException e) {
      // Vert.x refuses a malformed query string (bad %-escapes) with its own exception type.
      throw RejectedRequestException.badInput("malformed query string: " + Failures.messageOf(e));
    }
    return HttpParams.of(query, known, config.maxParameterLength());
  }

  private TimeRange range(HttpParams p) {
    return TimeWindow.withDefaults(
        p.time("start"), p.time("end"), now.nowUnixNanos(), config.defaultLookback().toNanos());
  }
}
