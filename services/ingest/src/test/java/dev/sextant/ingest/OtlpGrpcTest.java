package dev.sextant.ingest;

import static dev.sextant.ingest.Otlp.attr;
import static dev.sextant.ingest.Otlp.hex;
import static dev.sextant.ingest.Otlp.span;
import static dev.sextant.ingest.Otlp.spanId;
import static dev.sextant.ingest.Otlp.traceId;
import static dev.sextant.ingest.Otlp.traces;
import static dev.sextant.ingest.StoredData.logsOf;
import static dev.sextant.ingest.StoredData.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.sextant.model.Span;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.logs.v1.LogsService;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsService;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OtlpGrpcTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

  @Inject StorageComponent storage;

  @GrpcClient("otlp")
  TraceService traceClient;

  @GrpcClient("otlp")
  LogsService logsClient;

  @GrpcClient("otlp")
  MetricsService metricsClient;

  @GrpcClient("otlp")
  Channel channel;

  @AfterEach
  void reset() {
    FaultInjectingStorage.heal();
    FakeAggregator.CONTROL.reset();
  }

  @Test
  void allThreeSignalsAreStoredOrForwarded() {
    ByteString trace = traceId();
    ExportTraceServiceResponse traces =
        traceClient.export(traces("grpc-svc", span(trace, spanId(), "op"))).await().atMost(WAIT);
    assertThat(traces.hasPartialSuccess()).isFalse();
    assertThat(trace(storage, hex(trace))).extracting(Span::name).containsExactly("op");

    String service = "grpc-logs-" + hex(spanId());
    logsClient.export(Otlp.logs(service, Otlp.log("over grpc"))).await().atMost(WAIT);
    assertThat(logsOf(storage, service)).extracting(r -> r.body()).containsExactly("over grpc");

    ExportMetricsServiceResponse metrics =
        metricsClient
            .export(Otlp.metrics("grpc-svc", Otlp.gauge("g", Otlp.number(2))))
            .await()
            .atMost(WAIT);
    assertThat(metrics.hasPartialSuccess()).isFalse();
    assertThat(FakeAggregator.CONTROL.received())
        .filteredOn(batch -> !batch.getAdditive())
        .flatMap(WriteRequest::getPointsList)
        .extracting(MetricPoint::getName)
        .containsExactly("g");
    // The stored span's metrics went to the aggregator too, as increments.
    assertThat(FakeAggregator.CONTROL.received())
        .filteredOn(WriteRequest::getAdditive)
        .flatMap(WriteRequest::getPointsList)
        .extracting(MetricPoint::getName)
        .contains("sextant.span.calls", "sextant.span.duration");
  }

  @Test
  void aSpanOverHttpJsonAndOverGrpcIsStoredTheSame() {
    long end = Otlp.nowNanos() - 2_000_000_000L;
    long start = end - 3_000_000L;
    long eventTime = start + 1_000;
    String traceHex = hex(traceId());
    String spanHex = hex(spanId());
    String parentHex = hex(spanId());
    String linkedHex = hex(traceId());
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"same"}},
            {"key":"host","value":{"stringValue":"h1"}}]},
          "scopeSpans":[{"scope":{"name":"mastra","version":"0.1"},"spans":[{
            "traceId":"%s","spanId":"%s","parentSpanId":"%s","name":"agent.run","kind":1,
            "startTimeUnixNano":"%d","endTimeUnixNano":"%d","droppedAttributesCount":1,
            "attributes":[{"key":"s","value":{"stringValue":"v"}},
                          {"key":"i","value":{"intValue":"-7"}},
                          {"key":"d","value":{"doubleValue":0.25}},
                          {"key":"b","value":{"boolValue":true}},
                          {"key":"a","value":{"arrayValue":{"values":[{"stringValue":"x"},{"intValue":1}]}}},
                          {"key":"y","value":{"bytesValue":"AQI="}}],
            "events":[{"timeUnixNano":"%d","name":"tool.call",
                       "attributes":[{"key":"tool","value":{"stringValue":"search"}}]}],
            "links":[{"traceId":"%s","spanId":"%s"}],
            "status":{"code":1,"message":"fine"}}]}]}]}
        """
            .formatted(traceHex, spanHex, parentHex, start, end, eventTime, linkedHex, spanHex);
    assertThat(OtlpHttp.postJson("/v1/traces", json).statusCode()).isEqualTo(200);
    Span overHttp = trace(storage, traceHex).getFirst();

    var otlp =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(id(traceHex))
            .setSpanId(id(spanHex))
            .setParentSpanId(id(parentHex))
            .setName("agent.run")
            .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(end)
            .setDroppedAttributesCount(1)
            .addAttributes(attr("s", "v"))
            .addAttributes(attr("i", AnyValue.newBuilder().setIntValue(-7).build()))
            .addAttributes(attr("d", AnyValue.newBuilder().setDoubleValue(0.25).build()))
            .addAttributes(attr("b", AnyValue.newBuilder().setBoolValue(true).build()))
            .addAttributes(
                attr(
                    "a",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("x"))
                                .addValues(AnyValue.newBuilder().setIntValue(1)))
                        .build()))
            .addAttributes(
                attr(
                    "y",
                    AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFrom(new byte[] {1, 2}))
                        .build()))
            .addEvents(
                io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                    .setTimeUnixNano(eventTime)
                    .setName("tool.call")
                    .addAttributes(attr("tool", "search")))
            .addLinks(
                io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                    .setTraceId(id(linkedHex))
                    .setSpanId(id(spanHex)))
            .setStatus(
                io.opentelemetry.proto.trace.v1.Status.newBuilder()
                    .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_OK)
                    .setMessage("fine"));
    var request =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .setResource(
                        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAttributes(attr("service.name", "same"))
                            .addAttributes(attr("host", "h1")))
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                            .setScope(
                                io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                                    .setName("mastra")
                                    .setVersion("0.1"))
                            .addSpans(otlp)))
            .build();
    traceClient.export(request).await().atMost(WAIT);
    // The same ids: the gRPC write replaced the HTTP one.
    Span overGrpc = trace(storage, traceHex).getFirst();

    assertThat(overGrpc).isEqualTo(overHttp);
    assertThat(overGrpc.attributes())
        .containsExactly(
            Map.entry("s", "v"),
            Map.entry("i", -7L),
            Map.entry("d", 0.25),
            Map.entry("b", true),
            Map.entry("a", java.util.List.of("x", 1L)),
            Map.entry("y", "AQI="));
    assertThat(overGrpc.events())
        .singleElement()
        .satisfies(e -> assertThat(e.timeUnixNanos()).isEqualTo(eventTime));
    assertThat(overGrpc.links())
        .singleElement()
        .satisfies(l -> assertThat(l.traceId()).isEqualTo(linkedHex));
  }

  @Test
  void malformedProtobufIsInvalidArgument() {
    ByteString trace = traceId();
    byte[] whole = traces("svc", span(trace, spanId(), "cut")).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 3);
    assertThatThrownBy(() -> RawGrpc.export(channel, TRACE_SERVICE, truncated))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  @Test
  void invalidUtf8IsInvalidArgument() {
    ByteString trace = traceId();
    byte[] corrupt =
        Otlp.withInvalidUtf8(
            traces("svc", span(trace, spanId(), "MARKER")).toByteArray(), "MARKER");
    assertThatThrownBy(() -> RawGrpc.export(channel, TRACE_SERVICE, corrupt))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("UTF-8");
            });
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  @Test
  void anOversizedMessageIsResourceExhausted() {
    ByteString trace = traceId();
    var big =
        traces(
            "svc", span(trace, spanId(), "big").addAttributes(attr("blob", "x".repeat(1_200_000))));
    assertThatThrownBy(() -> traceClient.export(big).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  @Test
  void gzipCompressedRequestsAreReadAndAGzipBombIsRefused() {
    ByteString trace = traceId();
    var stub = TraceServiceGrpc.newBlockingStub(channel).withCompression("gzip");
    assertThat(stub.export(traces("svc", span(trace, spanId(), "zipped"))).hasPartialSuccess())
        .isFalse();
    assertThat(trace(storage, hex(trace))).extracting(Span::name).containsExactly("zipped");

    // 8 MiB of zeros compress to a few KiB; grpc-java bounds the decompressed size by the limit.
    ByteString bomb = traceId();
    var request =
        traces("svc", span(bomb, spanId(), "bomb").addAttributes(attr("z", "0".repeat(8 << 20))));
    assertThatThrownBy(() -> stub.export(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(trace(storage, hex(bomb))).isEmpty();
  }

  @Test
  void invalidRecordsArePartialSuccess() {
    long now = Otlp.nowNanos();
    ByteString good = traceId();
    var response =
        traceClient
            .export(
                traces(
                    "svc",
                    span(good, spanId(), "ok"),
                    span(traceId(), spanId(), "late")
                        .setEndTimeUnixNano(now + Duration.ofDays(1).toNanos()),
                    span(traceId(), ByteString.EMPTY, "no span id")))
            .await()
            .atMost(WAIT);
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(trace(storage, hex(good))).hasSize(1);

    var metrics =
        metricsClient
            .export(Otlp.metrics("svc", Otlp.counter("c", Otlp.number(Double.NaN))))
            .await()
            .atMost(WAIT);
    assertThat(metrics.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
    assertThat(metrics.getPartialSuccess().getErrorMessage()).contains("nan_value");
    assertThat(FakeAggregator.CONTROL.received())
        .filteredOn(batch -> !batch.getAdditive())
        .isEmpty();

    var logs =
        logsClient.export(Otlp.logs("svc", Otlp.log("x").setTimeUnixNano(-1))).await().atMost(WAIT);
    assertThat(logs.getPartialSuccess().getRejectedLogRecords()).isEqualTo(1);
  }

  @Test
  void storeUnavailableIsUnavailableWithRetryInfo() {
    FaultInjectingStorage.failWrites(
        new StorageException(StorageException.Code.UNAVAILABLE, "database closed"));
    ByteString trace = traceId();
    assertThatThrownBy(
            () ->
                traceClient.export(traces("svc", span(trace, spanId(), "s"))).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              GrpcAssertions.assertRetryable(e, Status.Code.UNAVAILABLE);
            });
    FaultInjectingStorage.failWrites(
        new StorageException(StorageException.Code.OVERLOADED, "busy"));
    assertThatThrownBy(
            () -> logsClient.export(Otlp.logs("svc", Otlp.log("x"))).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    FaultInjectingStorage.heal();
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(java.util.HexFormat.of().parseHex(hex));
  }
}
