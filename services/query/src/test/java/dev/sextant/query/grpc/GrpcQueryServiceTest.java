package dev.sextant.query.grpc;

import static dev.sextant.query.Fixtures.SECOND;
import static dev.sextant.query.Fixtures.base;
import static dev.sextant.query.Fixtures.histogram;
import static dev.sextant.query.Fixtures.log;
import static dev.sextant.query.Fixtures.number;
import static dev.sextant.query.Fixtures.series;
import static dev.sextant.query.Fixtures.simpleSpan;
import static dev.sextant.query.Fixtures.span;
import static dev.sextant.query.Fixtures.spanId;
import static dev.sextant.query.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.StatusCode;
import dev.sextant.model.Temporality;
import dev.sextant.model.Tenants;
import dev.sextant.protocol.query.v1.FindSeriesRequest;
import dev.sextant.protocol.query.v1.GetTraceRequest;
import dev.sextant.protocol.query.v1.LabelMatcher;
import dev.sextant.protocol.query.v1.ListMetricNamesRequest;
import dev.sextant.protocol.query.v1.Point;
import dev.sextant.protocol.query.v1.QueryMetricRequest;
import dev.sextant.protocol.query.v1.QueryMetricResponse;
import dev.sextant.protocol.query.v1.QueryServiceGrpc;
import dev.sextant.protocol.query.v1.ReadPointsRequest;
import dev.sextant.protocol.query.v1.SearchLogsRequest;
import dev.sextant.protocol.query.v1.SearchTracesRequest;
import dev.sextant.protocol.query.v1.Series;
import dev.sextant.protocol.query.v1.Span;
import dev.sextant.protocol.query.v1.TimeRange;
import dev.sextant.protocol.query.v1.TraceSummary;
import dev.sextant.query.Fixtures;
import dev.sextant.storage.StorageComponent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GrpcQueryServiceTest {
  private static final int SLOT = 7;
  private static final String T = Tenants.DEFAULT;
  private static final long BASE = base(SLOT);
  private static final String TREE = traceId(SLOT, 1);
  private static final String OTHER = traceId(SLOT, 2);
  private static final TimeRange WINDOW =
      TimeRange.newBuilder()
          .setStartUnixNano(BASE - SECOND)
          .setEndUnixNano(BASE + 3600 * SECOND)
          .build();
  private static final MetricSeries COUNTER =
      series(T, "grpc_requests_total", MetricType.COUNTER, Temporality.CUMULATIVE, "job", "api");
  private static final MetricSeries LATENCY =
      series(T, "grpc.latency", MetricType.HISTOGRAM, Temporality.DELTA, "job", "api");

  /** Log records have no identity, so writing them again would store them twice. */
  private static boolean logsWritten;

  @Inject StorageComponent storage;

  @GrpcClient("query")
  QueryServiceGrpc.QueryServiceBlockingStub query;

  @BeforeEach
  void writeTelemetry() {
    Fixtures.writeSpans(
        storage,
        List.of(
            span(
                T,
                TREE,
                spanId(1),
                "",
                "agent.run",
                "grpc-agent",
                BASE,
                10 * SECOND,
                StatusCode.OK,
                Map.of(
                    "str",
                    "x",
                    "int",
                    42L,
                    "dbl",
                    1.5,
                    "bool",
                    true,
                    "list",
                    List.of("a", 1L),
                    "map",
                    Map.of("k", "v"))),
            span(
                T,
                TREE,
                spanId(2),
                spanId(1),
                "llm.call",
                "grpc-agent",
                BASE + 2 * SECOND,
                SECOND,
                StatusCode.ERROR,
                Map.of("model", "gpt")),
            simpleSpan(T, TREE, spanId(3), spanId(1), BASE + SECOND, "grpc-agent"),
            simpleSpan(T, TREE, spanId(4), spanId(3), BASE + SECOND + 1, "grpc-agent"),
            simpleSpan(T, TREE, spanId(5), spanId(66), BASE + 3, "grpc-worker"),
            simpleSpan(T, OTHER, spanId(1), "", BASE + 60 * SECOND, "grpc-other")));
    if (!logsWritten) {
      logsWritten = true;
      Fixtures.writeLogs(
          storage,
          List.of(
              log(T, BASE, 9, "grpc hello", "grpc-agent", TREE, Map.of("tool", "search")),
              log(T, BASE + SECOND, 17, "grpc failure", "grpc-agent", "", Map.of())));
    }
    Fixtures.writeMetrics(
        storage,
        List.of(
            number(COUNTER, BASE, 1),
            number(COUNTER, BASE + 10 * SECOND, 3),
            histogram(LATENCY, BASE + 10 * SECOND, Double.NaN, 900)));
  }

  @Test
  void queryMetricAnswersFromRollupsAndRefusesWhatItCannotAnswer() {
    QueryMetricResponse count =
        query.queryMetric(
            QueryMetricRequest.newBuilder()
                .setKind(QueryMetricRequest.Kind.KIND_AGGREGATE)
                .setMetric("grpc_requests_total")
                .setAggregation("count")
                .setRange(WINDOW)
                .build());
    assertThat(count.getType()).isEqualTo("COUNTER");
    assertThat(count.getSeriesList()).hasSize(1);
    assertThat(count.getSeries(0).getBuckets(0).getValue()).isEqualTo(2.0);

    QueryMetricResponse none =
        query.queryMetric(
            QueryMetricRequest.newBuilder()
                .setKind(QueryMetricRequest.Kind.KIND_AGGREGATE)
                .setMetric("no_such_metric")
                .setRange(WINDOW)
                .build());
    assertThat(none.getSeries(0).getBuckets(0).hasValue()).isFalse();

    for (QueryMetricRequest bad :
        List.of(
            QueryMetricRequest.newBuilder()
                .setKind(QueryMetricRequest.Kind.KIND_TIMESERIES)
                .setMetric("grpc_requests_total")
                .setRange(WINDOW)
                .build(),
            QueryMetricRequest.newBuilder()
                .setMetric("grpc_requests_total")
                .setRange(WINDOW)
                .build(),
            QueryMetricRequest.newBuilder()
                .setKind(QueryMetricRequest.Kind.KIND_TIMESERIES)
                .setMetric("grpc_requests_total")
                .setIntervalSeconds(120)
                .setRange(WINDOW)
                .build())) {
      assertThatThrownBy(() -> query.queryMetric(bad))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
  }

  @Test
  void getTraceListsSpansDepthFirstWithEveryField() {
    List<Span> spans =
        query.getTrace(GetTraceRequest.newBuilder().setTraceId(TREE).build()).getSpansList();
    assertThat(spans)
        .extracting(Span::getSpanId)
        .containsExactly(spanId(1), spanId(3), spanId(4), spanId(2), spanId(5));
    Span root = spans.get(0);
    assertThat(root.getTraceId()).isEqualTo(TREE);
    assertThat(root.getParentSpanId()).isEmpty();
    assertThat(root.getName()).isEqualTo("agent.run");
    assertThat(root.getKind()).isEqualTo("SERVER");
    assertThat(root.getStartTimeUnixNano()).isEqualTo(BASE);
    assertThat(root.getEndTimeUnixNano()).isEqualTo(BASE + 10 * SECOND);
    assertThat(root.getStatusCode()).isEqualTo("OK");
    assertThat(root.getServiceName()).isEqualTo("grpc-agent");
    assertThat(root.getScopeName()).isEqualTo("mastra");
    assertThat(root.getScopeVersion()).isEqualTo("1.2.3");
    assertThat(root.getDroppedAttributesCount()).isEqualTo(3);
    assertThat(byKey(root.getResourceAttributesList()))
        .containsEntry("service.name", AnyValue.newBuilder().setStringValue("grpc-agent").build());
    Map<String, AnyValue> attributes = byKey(root.getAttributesList());
    assertThat(attributes.get("str").getStringValue()).isEqualTo("x");
    assertThat(attributes.get("int").getIntValue()).isEqualTo(42);
    assertThat(attributes.get("dbl").getDoubleValue()).isEqualTo(1.5);
    assertThat(attributes.get("bool").getBoolValue()).isTrue();
    assertThat(attributes.get("list").getArrayValue().getValuesList())
        .containsExactly(
            AnyValue.newBuilder().setStringValue("a").build(),
            AnyValue.newBuilder().setIntValue(1).build());
    assertThat(byKey(attributes.get("map").getKvlistValue().getValuesList()))
        .containsEntry("k", AnyValue.newBuilder().setStringValue("v").build());
    assertThat(root.getEventsList()).hasSize(1);
    assertThat(root.getEvents(0).getName()).isEqualTo("retry");
    assertThat(root.getEvents(0).getTimeUnixNano()).isEqualTo(BASE + 5);
    assertThat(root.getLinks(0).getSpanId()).isEqualTo(spanId(99));
    assertThat(spans.get(3).getStatusCode()).isEqualTo("ERROR");
    assertThat(spans.get(3).getStatusMessage()).isEqualTo("it failed");
  }

  private static Map<String, AnyValue> byKey(List<KeyValue> keyValues) {
    return keyValues.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  @Test
  void getTraceErrors() {
    assertStatus(
        () -> query.getTrace(GetTraceRequest.newBuilder().setTraceId("xyz").build()),
        Status.Code.INVALID_ARGUMENT,
        "trace_id must be 32 hex characters, got 'xyz'");
    assertStatus(
        () -> query.getTrace(GetTraceRequest.newBuilder().setTraceId(traceId(SLOT, 404)).build()),
        Status.Code.NOT_FOUND,
        "trace " + traceId(SLOT, 404) + " not found");
  }

  private List<String> traces(
      Function<SearchTracesRequest.Builder, SearchTracesRequest.Builder> f) {
    return query
        .searchTraces(f.apply(SearchTracesRequest.newBuilder().setRange(WINDOW)).build())
        .getTracesList()
        .stream()
        .map(TraceSummary::getTraceId)
        .toList();
  }

  @Test
  void searchTracesLikeRest() {
    assertThat(traces(r -> r)).containsExactly(OTHER, TREE);
    assertThat(traces(r -> r.setServiceName("grpc-agent"))).containsExactly(TREE);
    assertThat(traces(r -> r.setSpanName("llm.call"))).containsExactly(TREE);
    assertThat(traces(r -> r.setStatus("error"))).containsExactly(TREE);
    assertThat(traces(r -> r.setMinDurationNanos(5 * SECOND))).containsExactly(TREE);
    assertThat(traces(r -> r.setMaxDurationNanos(SECOND).setServiceName("grpc-other")))
        .containsExactly(OTHER);
    assertThat(traces(r -> r.putAttributes("model", "gpt"))).containsExactly(TREE);
    assertThat(traces(r -> r.setLimit(1))).containsExactly(OTHER);
    TraceSummary summary =
        query
            .searchTraces(
                SearchTracesRequest.newBuilder()
                    .setRange(WINDOW)
                    .setServiceName("grpc-agent")
                    .build())
            .getTraces(0);
    assertThat(summary)
        .isEqualTo(
            TraceSummary.newBuilder()
                .setTraceId(TREE)
                .setRootServiceName("grpc-agent")
                .setRootSpanName("agent.run")
                .setStartTimeUnixNano(BASE)
                .setDurationNanos(10 * SECOND)
                .setSpanCount(5)
                .setErrorCount(1)
                .build());
  }

  @Test
  void searchTracesRefusesWhatRestRefuses() {
    assertStatus(
        () -> query.searchTraces(SearchTracesRequest.newBuilder().setLimit(1001).build()),
        Status.Code.INVALID_ARGUMENT,
        "limit must be a whole number within 1..1000, got 1001");
    assertStatus(
        () -> query.searchTraces(SearchTracesRequest.newBuilder().setLimit(-1).build()),
        Status.Code.INVALID_ARGUMENT,
        "limit must be a whole number within 1..1000, got 4294967295");
    assertStatus(
        () -> query.searchTraces(SearchTracesRequest.newBuilder().setStatus("failed").build()),
        Status.Code.INVALID_ARGUMENT,
        "status must be one of unset, ok, error; got 'failed'");
    assertStatus(
        () ->
            query.searchTraces(
                SearchTracesRequest.newBuilder()
                    .setMinDurationNanos(2)
                    .setMaxDurationNanos(1)
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "minDuration (2 ns) is greater than maxDuration (1 ns)");
    assertStatus(
        () -> query.searchTraces(SearchTracesRequest.newBuilder().setMinDurationNanos(-1).build()),
        Status.Code.INVALID_ARGUMENT,
        "min_duration_nanos is out of range (above 2^63-1)");
    assertStatus(
        () ->
            query.searchTraces(
                SearchTracesRequest.newBuilder()
                    .setRange(TimeRange.newBuilder().setStartUnixNano(20).setEndUnixNano(10))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "end (10 ns) is before start (20 ns)");
    assertStatus(
        () ->
            query.searchTraces(
                SearchTracesRequest.newBuilder()
                    .setRange(TimeRange.newBuilder().setStartUnixNano(-5))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "time range out of bounds");
    assertStatus(
        () -> query.searchTraces(SearchTracesRequest.newBuilder().putAttributes("", "x").build()),
        Status.Code.INVALID_ARGUMENT,
        "attributes filter keys must not be empty");
    assertStatus(
        () ->
            query.searchTraces(
                SearchTracesRequest.newBuilder().setServiceName("s".repeat(3000)).build()),
        Status.Code.INVALID_ARGUMENT,
        "service_name is too long: 3000 characters, at most 2048");
  }

  @Test
  void searchLogsWithStructuredBodies() {
    var records =
        query
            .searchLogs(
                SearchLogsRequest.newBuilder()
                    .setRange(WINDOW)
                    .setServiceName("grpc-agent")
                    .build())
            .getRecordsList();
    assertThat(records)
        .extracting(r -> r.getBody().getStringValue())
        .containsExactly("grpc failure", "grpc hello");
    var hello = records.get(1);
    assertThat(hello.getTimeUnixNano()).isEqualTo(BASE);
    assertThat(hello.getObservedTimeUnixNano()).isEqualTo(BASE + 7);
    assertThat(hello.getSeverityNumber()).isEqualTo(9);
    assertThat(hello.getSeverityText()).isEqualTo("SEV9");
    assertThat(hello.getScopeName()).isEqualTo("logger");
    assertThat(hello.getTraceId()).isEqualTo(TREE);
    assertThat(hello.getSpanId()).isEqualTo(spanId(1));
    assertThat(hello.getDroppedAttributesCount()).isEqualTo(1);
    assertThat(byKey(hello.getAttributesList()))
        .containsEntry("tool", AnyValue.newBuilder().setStringValue("search").build());

    assertThat(
            query
                .searchLogs(
                    SearchLogsRequest.newBuilder()
                        .setRange(WINDOW)
                        .setMinSeverityNumber(13)
                        .setServiceName("grpc-agent")
                        .build())
                .getRecordsList())
        .extracting(r -> r.getBody().getStringValue())
        .containsExactly("grpc failure");
    assertThat(
            query
                .searchLogs(
                    SearchLogsRequest.newBuilder()
                        .setRange(WINDOW)
                        .setTraceId(TREE)
                        .setBodyContains("hell")
                        .putAttributes("tool", "search")
                        .setLimit(5)
                        .build())
                .getRecordsList())
        .hasSize(1);
    assertStatus(
        () -> query.searchLogs(SearchLogsRequest.newBuilder().setMinSeverityNumber(25).build()),
        Status.Code.INVALID_ARGUMENT,
        "min_severity_number must be a severity number 1-24");
    assertStatus(
        () -> query.searchLogs(SearchLogsRequest.newBuilder().setMinSeverityNumber(0).build()),
        Status.Code.INVALID_ARGUMENT,
        "got 0");
    assertStatus(
        () -> query.searchLogs(SearchLogsRequest.newBuilder().setTraceId("nope").build()),
        Status.Code.INVALID_ARGUMENT,
        "trace_id must be 32 hex characters");
    assertStatus(
        () -> query.searchLogs(SearchLogsRequest.newBuilder().setLimit(10_001).build()),
        Status.Code.INVALID_ARGUMENT,
        "limit must be a whole number within 1..10000");
  }

  @Test
  void metricNamesSeriesAndPoints() {
    assertThat(
            query
                .listMetricNames(ListMetricNamesRequest.newBuilder().setRange(WINDOW).build())
                .getNamesList())
        .containsExactly("grpc.latency", "grpc_requests_total");

    List<Series> byMatchers =
        query
            .findSeries(
                FindSeriesRequest.newBuilder()
                    .setRange(WINDOW)
                    .addMatchers(
                        LabelMatcher.newBuilder()
                            .setName("__name__")
                            .setType(LabelMatcher.Type.REGEX)
                            .setValue("grpc_.*"))
                    .addMatchers(
                        LabelMatcher.newBuilder()
                            .setName("job")
                            .setType(LabelMatcher.Type.NOT_EQUAL)
                            .setValue("web"))
                    .build())
            .getSeriesList();
    assertThat(byMatchers)
        .containsExactly(
            Series.newBuilder()
                .setId(COUNTER.id())
                .setName("grpc_requests_total")
                .putLabels("job", "api")
                .setType("COUNTER")
                .setTemporality("CUMULATIVE")
                .setUnit("ms")
                .setDescription("about it")
                .build());
    List<Series> bySelector =
        query
            .findSeries(
                FindSeriesRequest.newBuilder()
                    .setRange(WINDOW)
                    .setSelector("{\"grpc.latency\", job=~\"a.+\"}")
                    .build())
            .getSeriesList();
    assertThat(bySelector).extracting(Series::getId).containsExactly(LATENCY.id());

    List<Point> counter =
        query
            .readPoints(
                ReadPointsRequest.newBuilder().setSeriesId(COUNTER.id()).setRange(WINDOW).build())
            .getPointsList();
    assertThat(counter).extracting(Point::getNumber).containsExactly(1.0, 3.0);
    assertThat(counter)
        .extracting(Point::getTimeUnixNano)
        .containsExactly(BASE, BASE + 10 * SECOND);
    assertThat(counter.get(0).getStartTimeUnixNano()).isEqualTo(BASE - SECOND);

    Point histogram =
        query
            .readPoints(
                ReadPointsRequest.newBuilder().setSeriesId(LATENCY.id()).setRange(WINDOW).build())
            .getPoints(0);
    assertThat(histogram.hasHistogram()).isTrue();
    assertThat(histogram.getHistogram().getCount()).isEqualTo(4);
    assertThat(histogram.getHistogram().getSum()).isEqualTo(983.0);
    assertThat(histogram.getHistogram().getMin()).isNaN();
    assertThat(histogram.getHistogram().getMax()).isEqualTo(900.0);
    assertThat(histogram.getHistogram().getBoundsList()).containsExactly(10.0, 100.0);
    assertThat(histogram.getHistogram().getBucketCountsList()).containsExactly(1L, 2L, 1L);

    assertThat(
            query
                .readPoints(ReadPointsRequest.newBuilder().setSeriesId(12345).build())
                .getPointsList())
        .isEmpty();
  }

  @Test
  void findSeriesRefusesBadMatchersAndSelectors() {
    LabelMatcher job =
        LabelMatcher.newBuilder()
            .setName("job")
            .setType(LabelMatcher.Type.EQUAL)
            .setValue("api")
            .build();
    assertStatus(
        () -> query.findSeries(FindSeriesRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "give a selector or at least one matcher");
    assertStatus(
        () ->
            query.findSeries(
                FindSeriesRequest.newBuilder().addMatchers(job).setSelector("up").build()),
        Status.Code.INVALID_ARGUMENT,
        "give either selector or matchers, not both");
    assertStatus(
        () -> query.findSeries(FindSeriesRequest.newBuilder().setSelector("up{job}").build()),
        Status.Code.INVALID_ARGUMENT,
        "selector: parse error at char 7:");
    assertStatus(
        () ->
            query.findSeries(
                FindSeriesRequest.newBuilder()
                    .addMatchers(job.toBuilder().setType(LabelMatcher.Type.REGEX).setValue("(("))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "matchers: invalid regular expression for label job");
    assertStatus(
        () ->
            query.findSeries(
                FindSeriesRequest.newBuilder()
                    .addMatchers(job.toBuilder().setType(LabelMatcher.Type.NOT_EQUAL))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "matchers: a selector must contain at least one matcher");
    assertStatus(
        () ->
            query.findSeries(
                FindSeriesRequest.newBuilder()
                    .addMatchers(job.toBuilder().setTypeValue(99))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "unknown matcher type");
    assertStatus(
        () ->
            query.findSeries(
                FindSeriesRequest.newBuilder().addMatchers(job.toBuilder().setName("")).build()),
        Status.Code.INVALID_ARGUMENT,
        "label name must not be empty");
  }

  static void assertStatus(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status status = ((StatusRuntimeException) e).getStatus();
              assertThat(status.getCode()).isEqualTo(code);
              assertThat(status.getDescription()).contains(message);
            });
  }
}
