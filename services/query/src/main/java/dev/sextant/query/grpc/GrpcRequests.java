package dev.sextant.query.grpc;

import dev.sextant.promql.parser.Matchers;
import dev.sextant.protocol.query.v1.FindSeriesRequest;
import dev.sextant.protocol.query.v1.QueryMetricRequest;
import dev.sextant.protocol.query.v1.SearchLogsRequest;
import dev.sextant.protocol.query.v1.SearchTracesRequest;
import dev.sextant.query.QueryConfig;
import dev.sextant.query.core.LogSearch;
import dev.sextant.query.core.NowSource;
import dev.sextant.query.core.TraceSearch;
import dev.sextant.query.metrics.MetricQuery;
import dev.sextant.query.request.AttributeFilters;
import dev.sextant.query.request.LimitParam;
import dev.sextant.query.request.SeverityParam;
import dev.sextant.query.request.StatusParam;
import dev.sextant.query.request.TextParam;
import dev.sextant.query.request.TimeWindow;
import dev.sextant.query.request.TraceIds;
import dev.sextant.query.selector.SelectorParser;
import dev.sextant.service.errors.RejectedRequestException;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads gRPC requests into the same validated requests as REST, with the same rules. Differences
 * follow proto3: an absent field is its zero value, so a limit of 0 is the default limit and a time
 * range end of 0 is "now", a start of 0 "the beginning".
 */
@ApplicationScoped
public class GrpcRequests {
  private final QueryConfig config;
  private final NowSource now;

  @Inject
  public GrpcRequests(QueryConfig config, NowSource now) {
    this.config = config;
    this.now = now;
  }

  public String traceId(String id) {
    return TraceIds.require("trace_id", id);
  }

  public TraceSearch traceSearch(SearchTracesRequest r) {
    return new TraceSearch(
        range(r.getRange()),
        text("service_name", r.getServiceName()),
        text("span_name", r.getSpanName()),
        r.getStatus().isEmpty() ? null : StatusParam.parse("status", r.getStatus()),
        r.hasMinDurationNanos() ? nanos("min_duration_nanos", r.getMinDurationNanos()) : null,
        r.hasMaxDurationNanos() ? nanos("max_duration_nanos", r.getMaxDurationNanos()) : null,
        attributes(r.getAttributesMap()),
        limit(r.getLimit(), config.defaultTraceLimit(), TraceQuery.MAX_LIMIT));
  }

  public MetricQuery metricQuery(QueryMetricRequest r) {
    for (String label : r.getGroupByList()) {
      TextParam.checkLength("group_by", label, config.maxParameterLength());
    }
    return MetricQuery.of(
        text("metric", r.getMetric()),
        text("aggregation", r.getAggregation()),
        r.getGroupByList(),
        attributes(r.getFiltersMap()),
        r.getIntervalSeconds() == 0
            ? null
            : Duration.ofSeconds(Integer.toUnsignedLong(r.getIntervalSeconds())),
        r.getPercentilesList(),
        range(r.getRange()),
        limit(r.getLimit(), 100, MetricQuery.MAX_LIMIT));
  }

  public LogSearch logSearch(SearchLogsRequest r) {
    return new LogSearch(
        range(r.getRange()),
        r.hasMinSeverityNumber()
            ? SeverityParam.require(
                "min_severity_number", Integer.toUnsignedLong(r.getMinSeverityNumber()))
            : null,
        r.getTraceId().isEmpty() ? null : TraceIds.require("trace_id", r.getTraceId()),
        text("service_name", r.getServiceName()),
        attributes(r.getAttributesMap()),
        text("body_contains", r.getBodyContains()),
        limit(r.getLimit(), config.defaultLogLimit(), LogQuery.MAX_LIMIT));
  }

  /** Matchers from {@code selector} or from {@code matchers}, exactly one of the two. */
  public List<LabelMatcher> matchers(FindSeriesRequest r) {
    if (!r.getSelector().isEmpty() && r.getMatchersCount() > 0) {
      throw RejectedRequestException.badInput("give either selector or matchers, not both");
    }
    if (!r.getSelector().isEmpty()) {
      String selector =
          TextParam.checkLength("selector", r.getSelector(), config.maxParameterLength());
      try {
        return SelectorParser.parse(selector);
      } catch (IllegalArgumentException e) {
        throw RejectedRequestException.badInput("selector: " + e.getMessage());
      }
    }
    if (r.getMatchersCount() == 0) {
      throw RejectedRequestException.badInput("give a selector or at least one matcher");
    }
    if (r.getMatchersCount() > AttributeFilters.MAX_FILTERS) {
      throw RejectedRequestException.badInput(
          "at most " + AttributeFilters.MAX_FILTERS + " matchers, got " + r.getMatchersCount());
    }
    List<LabelMatcher> matchers = new ArrayList<>();
    for (var m : r.getMatchersList()) {
      TextParam.checkLength("matcher name", m.getName(), config.maxParameterLength());
      TextParam.checkLength("matcher value", m.getValue(), config.maxParameterLength());
      try {
        matchers.add(Matchers.of(m.getName(), type(m.getType()), m.getValue()));
      } catch (IllegalArgumentException e) {
        throw RejectedRequestException.badInput("matchers: " + e.getMessage());
      }
    }
    try {
      return Matchers.requireSelective(matchers);
    } catch (IllegalArgumentException e) {
      throw RejectedRequestException.badInput("matchers: " + e.getMessage());
    }
  }

  private static LabelMatcher.Type type(dev.sextant.protocol.query.v1.LabelMatcher.Type type) {
    return switch (type) {
      case EQUAL -> LabelMatcher.Type.EQUAL;
      case NOT_EQUAL -> LabelMatcher.Type.NOT_EQUAL;
      case REGEX -> LabelMatcher.Type.REGEX;
      case NOT_REGEX -> LabelMatcher.Type.NOT_REGEX;
      case UNRECOGNIZED ->
          throw new IllegalArgumentException("unknown matcher type: use EQUAL, NOT_EQUAL, ...");
    };
  }

  /** A proto time range: both ends inclusive; end 0 is now, start 0 the beginning. */
  public TimeRange range(dev.sextant.protocol.query.v1.TimeRange r) {
    long start = r.getStartUnixNano();
    long end = r.getEndUnixNano();
    if (start < 0 || end < 0) {
      throw RejectedRequestException.badInput(
          "time range out of bounds: fixed64 times above 2^63-1 ns (year 2262) are refused");
    }
    return TimeWindow.inclusive(start, end == 0 ? now.nowUnixNanos() : end);
  }

  private String text(String name, String value) {
    return TextParam.optional(name, value, config.maxParameterLength());
  }

  private Map<String, String> attributes(Map<String, String> filters) {
    filters.forEach(
        (k, v) -> {
          TextParam.checkLength("attributes key", k, config.maxParameterLength());
          TextParam.checkLength("attributes value", v, config.maxParameterLength());
        });
    return AttributeFilters.validate("attributes", filters);
  }

  private static long nanos(String name, long value) {
    if (value < 0) {
      throw RejectedRequestException.badInput(name + " is out of range (above 2^63-1)");
    }
    return value;
  }

  private static int limit(int limit, int defaultLimit, int max) {
    return limit == 0
        ? defaultLimit
        : LimitParam.require("limit", Integer.toUnsignedLong(limit), max);
  }
}
