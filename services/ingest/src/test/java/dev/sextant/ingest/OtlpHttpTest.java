package dev.sextant.ingest;

import static dev.sextant.ingest.Otlp.attr;
import static dev.sextant.ingest.Otlp.hex;
import static dev.sextant.ingest.Otlp.span;
import static dev.sextant.ingest.Otlp.spanId;
import static dev.sextant.ingest.Otlp.traceId;
import static dev.sextant.ingest.Otlp.traces;
import static dev.sextant.ingest.OtlpHttp.JSON;
import static dev.sextant.ingest.OtlpHttp.PROTOBUF;
import static dev.sextant.ingest.OtlpHttp.answer;
import static dev.sextant.ingest.OtlpHttp.post;
import static dev.sextant.ingest.OtlpHttp.postGzip;
import static dev.sextant.ingest.OtlpHttp.postJson;
import static dev.sextant.ingest.OtlpHttp.postProtobuf;
import static dev.sextant.ingest.OtlpHttp.status;
import static dev.sextant.ingest.StoredData.logsOf;
import static dev.sextant.ingest.StoredData.trace;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import dev.sextant.model.LogRecord;
import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OtlpHttpTest {
  @Inject StorageComponent storage;
  @Inject MeterRegistry registry;

  @AfterEach
  void reset() {
    FaultInjectingStorage.heal();
    FakeAggregator.CONTROL.reset();
  }

  // ---- happy paths ------------------------------------------------------------------------

  @Test
  void tracesAsProtobuf() {
    ByteString trace = traceId();
    Response response =
        postProtobuf("/v1/traces", traces("shop", span(trace, spanId(), "GET /cart")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo(PROTOBUF);
    assertThat(
            answer(response, ExportTraceServiceResponse.getDefaultInstance()).hasPartialSuccess())
        .isFalse();
    assertThat(trace(storage, hex(trace)))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name()).isEqualTo("GET /cart");
              assertThat(s.serviceName()).isEqualTo("shop");
            });
  }

  @Test
  void tracesAsGzippedProtobuf() {
    ByteString trace = traceId();
    Response response =
        postGzip(
            "/v1/traces", PROTOBUF, traces("shop", span(trace, spanId(), "zipped")).toByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(trace(storage, hex(trace))).extracting(Span::name).containsExactly("zipped");
  }

  @Test
  void tracesAsOtlpJson() {
    long end = Otlp.nowNanos() - 1_000_000_000L;
    String trace = "5B8EFFF798038103D269B633813F" + String.format("%04x", (int) (end & 0xffff));
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"json-svc"}}]},
          "scopeSpans":[{"scope":{"name":"lib","version":"2.0"},"spans":[{
            "traceId":"%s","spanId":"EEE19B7EC3C1B174","parentSpanId":"eee19b7ec3c1b173",
            "name":"llm.call","kind":3,"startTimeUnixNano":"%d","endTimeUnixNano":%d,
            "attributes":[{"key":"tokens","value":{"intValue":"42"}},
                          {"key":"model","value":{"stringValue":"gpt"}}],
            "status":{"code":2,"message":"rate limited"}}]}]}]}
        """
            .formatted(trace, end - 5_000_000, end);

    Response response = postJson("/v1/traces", json);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo(JSON);
    assertThat(response.asString()).isEqualTo("{}");
    Span span = trace(storage, trace.toLowerCase()).getFirst();
    assertThat(span.traceId()).isEqualTo(trace.toLowerCase());
    assertThat(span.spanId()).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.statusMessage()).isEqualTo("rate limited");
    assertThat(span.scopeName()).isEqualTo("lib");
    assertThat(span.startTimeUnixNanos()).isEqualTo(end - 5_000_000);
    assertThat(span.attributes()).containsEntry("tokens", 42L).containsEntry("model", "gpt");
  }

  @Test
  void logsAsProtobufJsonAndGzip() {
    String service = "logs-" + hex(spanId());
    var request = Otlp.logs(service, Otlp.log("from protobuf"));
    assertThat(postProtobuf("/v1/logs", request).statusCode()).isEqualTo(200);
    assertThat(
            postGzip("/v1/logs", PROTOBUF, Otlp.logs(service, Otlp.log("from gzip")).toByteArray())
                .statusCode())
        .isEqualTo(200);
    String json =
        """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"%s"}}]},
          "scopeLogs":[{"logRecords":[{"timeUnixNano":"%d","severityNumber":17,"severityText":"ERROR",
            "body":{"stringValue":"from json"},"traceId":"5b8efff798038103d269b633813fc60c",
            "spanId":"eee19b7ec3c1b174"}]}]}]}
        """
            .formatted(service, Otlp.nowNanos());
    Response response = postJson("/v1/logs", json);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(answer(response, ExportLogsServiceResponse.getDefaultInstance()).hasPartialSuccess())
        .isFalse();

    List<LogRecord> stored = logsOf(storage, service);
    assertThat(stored)
        .extracting(LogRecord::body)
        .containsExactlyInAnyOrder("from protobuf", "from gzip", "from json");
    LogRecord fromJson =
        stored.stream().filter(r -> r.body().equals("from json")).findFirst().orElseThrow();
    assertThat(fromJson.severityNumber()).isEqualTo(17);
    assertThat(fromJson.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(fromJson.spanId()).isEqualTo("eee19b7ec3c1b174");
  }

  @Test
  void metricsAsProtobufJsonAndGzipReachTheAggregator() {
    ExportMetricsServiceRequest request =
        Otlp.metrics(
            "m-svc",
            Otlp.counter("http.requests", Otlp.number(3).addAttributes(attr("route", "/a"))));
    assertThat(postProtobuf("/v1/metrics", request).statusCode()).isEqualTo(200);
    assertThat(postGzip("/v1/metrics", PROTOBUF, request.toByteArray()).statusCode())
        .isEqualTo(200);
    String json =
        """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"m-svc"}}]},
          "scopeMetrics":[{"metrics":[{"name":"queue.depth","gauge":{"dataPoints":[
            {"timeUnixNano":"%d","asInt":"7"}]}}]}]}]}
        """
            .formatted(Otlp.nowNanos());
    Response response = postJson("/v1/metrics", json);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            answer(response, ExportMetricsServiceResponse.getDefaultInstance()).hasPartialSuccess())
        .isFalse();

    List<MetricPoint> points =
        FakeAggregator.CONTROL.received().stream()
            .peek(batch -> assertThat(batch.getTenant()).isEqualTo("default"))
            .flatMap(batch -> batch.getPointsList().stream())
            .toList();
    assertThat(points)
        .extracting(MetricPoint::getName)
        .containsExactly("http.requests", "http.requests", "queue.depth");
    MetricPoint counter = points.getFirst();
    assertThat(counter.getType()).isEqualTo(MetricType.METRIC_TYPE_COUNTER);
    assertThat(counter.getNumber()).isEqualTo(3);
    assertThat(counter.getLabelsList())
        .extracting(l -> l.getName() + "=" + l.getValue())
        .containsExactly("route=/a", "service.name=m-svc");
    assertThat(points.get(2).getType()).isEqualTo(MetricType.METRIC_TYPE_GAUGE);
    assertThat(points.get(2).getNumber()).isEqualTo(7);
    // On the wire the counter's second point was its series ref, time and value only (ADR 0015).
    List<MetricPoint> wire =
        FakeAggregator.CONTROL.wire().stream()
            .flatMap(batch -> batch.getPointsList().stream())
            .toList();
    assertThat(wire.get(0).getSeriesRef()).isPositive();
    assertThat(wire.get(1).getSeriesRef()).isEqualTo(wire.get(0).getSeriesRef());
    assertThat(wire.get(1).getName()).isEmpty();
    assertThat(wire.get(1).getLabelsCount()).isZero();
  }

  // ---- malformed and hostile input ---------------------------------------------------------

  @Test
  void malformedProtobufIs400() {
    ByteString trace = traceId();
    byte[] whole = traces("svc", span(trace, spanId(), "cut")).toByteArray();
    Response response =
        post("/v1/traces", PROTOBUF, java.util.Arrays.copyOf(whole, whole.length - 3));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.contentType()).isEqualTo(PROTOBUF);
    assertThat(status(response).getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(status(response).getMessage()).startsWith("malformed protobuf");
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  @Test
  void malformedJsonIs400InJson() {
    Response response = postJson("/v1/logs", "{\"resourceLogs\":[{\"scopeLogs\": [");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.contentType()).isEqualTo(JSON);
    assertThat(status(response).getMessage()).startsWith("malformed JSON");
  }

  @Test
  void wrongContentTypeIs415() {
    Response response = post("/v1/traces", "text/plain", "hello".getBytes());
    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(status(response).getMessage()).contains("unsupported content type 'text/plain'");

    Response noType = io.restassured.RestAssured.given().body(new byte[] {1}).post("/v1/metrics");
    assertThat(noType.statusCode()).isEqualTo(415);
  }

  @Test
  void unsupportedContentEncodingIs415() {
    Response response =
        io.restassured.RestAssured.given()
            .contentType(PROTOBUF)
            .header("Content-Encoding", "br")
            .body(new byte[] {1, 2})
            .post("/v1/traces");
    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.contentType()).isEqualTo(PROTOBUF);
    assertThat(status(response).getMessage()).contains("unsupported content encoding 'br'");
  }

  @Test
  void oversizedBodyIs413() {
    ByteString trace = traceId();
    // 1.5 MiB against the test limit of 1 MiB.
    var big =
        traces(
            "svc", span(trace, spanId(), "big").addAttributes(attr("blob", "x".repeat(1_500_000))));
    Response response = postProtobuf("/v1/traces", big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(status(response).getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  @Test
  void gzipBombIs413() {
    ByteString trace = traceId();
    // Compresses to a few KiB, inflates to 8 MiB: over the 1 MiB limit once decompressed.
    var bomb =
        traces(
            "svc", span(trace, spanId(), "bomb").addAttributes(attr("zeros", "0".repeat(8 << 20))));
    byte[] compressed = OtlpHttp.gzip(bomb.toByteArray());
    assertThat(compressed.length).isLessThan(100_000);

    Response response =
        io.restassured.RestAssured.given()
            .contentType(PROTOBUF)
            .header("Content-Encoding", "gzip")
            .body(compressed)
            .post("/v1/traces");

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(status(response).getMessage()).contains("after gzip decompression");
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  @Test
  void malformedGzipIs400() {
    Response response =
        io.restassured.RestAssured.given()
            .contentType(PROTOBUF)
            .header("Content-Encoding", "gzip")
            .body("not gzip at all".getBytes())
            .post("/v1/logs");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(status(response).getMessage()).startsWith("malformed gzip body");
  }

  @Test
  void invalidIdsAreRejectedPerSpanAndTheRestStored() {
    double rejectedBefore = rejected("traces", "invalid_trace_id");
    double acceptedBefore = accepted("traces");
    ByteString good = traceId();
    ByteString badSpan = traceId();
    var request =
        traces(
            "svc",
            span(good, spanId(), "good"),
            span(ByteString.copyFrom(new byte[16]), spanId(), "zero trace"),
            span(badSpan, ByteString.copyFrom(new byte[4]), "short span"));

    Response response = postProtobuf("/v1/traces", request);

    assertThat(response.statusCode()).isEqualTo(200);
    var partial =
        answer(response, ExportTraceServiceResponse.getDefaultInstance()).getPartialSuccess();
    assertThat(partial.getRejectedSpans()).isEqualTo(2);
    assertThat(partial.getErrorMessage())
        .contains("invalid_trace_id x1 (trace id must not be all zero)")
        .contains("invalid_span_id x1 (span id must be 8 bytes, got 4)");
    assertThat(trace(storage, hex(good))).hasSize(1);
    assertThat(trace(storage, hex(badSpan))).isEmpty();
    assertThat(rejected("traces", "invalid_trace_id")).isEqualTo(rejectedBefore + 1);
    assertThat(accepted("traces")).isEqualTo(acceptedBefore + 1);
  }

  @Test
  void farFutureAndPre1970TimesAreRejected() {
    long now = Otlp.nowNanos();
    ByteString future = traceId();
    ByteString beyond = traceId();
    var request =
        traces(
            "svc",
            span(future, spanId(), "future")
                .setStartTimeUnixNano(now + Duration.ofHours(2).toNanos())
                .setEndTimeUnixNano(now + Duration.ofHours(2).toNanos()),
            span(beyond, spanId(), "beyond").setStartTimeUnixNano(Long.MIN_VALUE + 1));

    var partial =
        answer(postProtobuf("/v1/traces", request), ExportTraceServiceResponse.getDefaultInstance())
            .getPartialSuccess();

    assertThat(partial.getRejectedSpans()).isEqualTo(2);
    assertThat(partial.getErrorMessage()).contains("time_in_future").contains("time_out_of_range");
    assertThat(trace(storage, hex(future))).isEmpty();
    assertThat(trace(storage, hex(beyond))).isEmpty();
  }

  @Test
  void aRequestWithNothingValidIsStillAPartialSuccess() {
    var request = Otlp.logs("svc", Otlp.log("x").setTraceId(ByteString.copyFrom(new byte[3])));
    Response response = postProtobuf("/v1/logs", request);
    assertThat(response.statusCode()).isEqualTo(200);
    var partial =
        answer(response, ExportLogsServiceResponse.getDefaultInstance()).getPartialSuccess();
    assertThat(partial.getRejectedLogRecords()).isEqualTo(1);
    assertThat(partial.getErrorMessage()).startsWith("rejected 1 log records: invalid_trace_id");
  }

  @Test
  void invalidUtf8Is400ForProtobufAndJson() {
    ByteString trace = traceId();
    byte[] corrupt =
        Otlp.withInvalidUtf8(
            traces("svc", span(trace, spanId(), "MARKER")).toByteArray(), "MARKER");
    Response protobuf = post("/v1/traces", PROTOBUF, corrupt);
    assertThat(protobuf.statusCode()).isEqualTo(400);
    assertThat(status(protobuf).getMessage()).contains("UTF-8");

    byte[] json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"\u00e9\"}]}]}]}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] badJson = java.util.Arrays.copyOf(json, json.length);
    int at = new String(json, java.nio.charset.StandardCharsets.UTF_8).indexOf('\u00e9');
    badJson[at + 1] = (byte) 'x'; // é's lead byte followed by ASCII
    Response jsonResponse = post("/v1/traces", JSON, badJson);
    assertThat(jsonResponse.statusCode()).isEqualTo(400);
    assertThat(status(jsonResponse).getMessage()).contains("not valid UTF-8");
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  @Test
  void attributeValuesOverTheLimitAreTruncatedAndCounted() {
    double before = truncations("traces", "attribute_value_length");
    ByteString trace = traceId();
    String longValue = "é".repeat(10_000); // 20,000 bytes against the 16 KiB default
    var request =
        traces("svc", span(trace, spanId(), "s").addAttributes(attr("prompt", longValue)));

    Response response = postProtobuf("/v1/traces", request);

    var partial =
        answer(response, ExportTraceServiceResponse.getDefaultInstance()).getPartialSuccess();
    assertThat(partial.getRejectedSpans()).isZero();
    assertThat(partial.getErrorMessage()).isEqualTo("limits applied: attribute_value_length x1");
    String stored = (String) trace(storage, hex(trace)).getFirst().attributes().get("prompt");
    assertThat(stored).isEqualTo("é".repeat(8192));
    assertThat(truncations("traces", "attribute_value_length")).isEqualTo(before + 1);
  }

  @Test
  void attributesBeyondTheCountAreDroppedAndCounted() {
    double before = truncations("logs", "attribute_count");
    String service = "many-" + hex(spanId());
    var log = Otlp.log("many").setDroppedAttributesCount(1);
    for (int i = 0; i < 130; i++) {
      log.addAttributes(attr("k" + i, "v"));
    }
    Response response = postProtobuf("/v1/logs", Otlp.logs(service, log));
    assertThat(response.statusCode()).isEqualTo(200);

    LogRecord stored = logsOf(storage, service).getFirst();
    assertThat(stored.attributes()).hasSize(128).containsKey("k127").doesNotContainKey("k128");
    assertThat(stored.droppedAttributesCount()).isEqualTo(3);
    assertThat(truncations("logs", "attribute_count")).isEqualTo(before + 2);
  }

  @Test
  void nanAndInfiniteMetricValuesAreRejectedPerPoint() {
    var request =
        Otlp.metrics(
            "svc",
            Otlp.counter(
                "c",
                Otlp.number(1),
                Otlp.number(Double.NaN),
                Otlp.number(Double.POSITIVE_INFINITY)),
            Otlp.gauge("g", Otlp.number(Double.POSITIVE_INFINITY)));

    Response response = postProtobuf("/v1/metrics", request);

    assertThat(response.statusCode()).isEqualTo(200);
    var partial =
        answer(response, ExportMetricsServiceResponse.getDefaultInstance()).getPartialSuccess();
    assertThat(partial.getRejectedDataPoints()).isEqualTo(2);
    assertThat(partial.getErrorMessage()).contains("nan_value x1").contains("infinite_value x1");
    assertThat(FakeAggregator.CONTROL.received())
        .flatMap(WriteRequest::getPointsList)
        .extracting(MetricPoint::getName, MetricPoint::getNumber)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c", 1.0),
            org.assertj.core.groups.Tuple.tuple("g", Double.POSITIVE_INFINITY));
  }

  // ---- store failures -----------------------------------------------------------------------

  @Test
  void storeUnavailableIs503WithRetryAfterAndNothingAcknowledged() {
    FaultInjectingStorage.failWrites(
        new StorageException(StorageException.Code.UNAVAILABLE, "database closed"));
    ByteString trace = traceId();
    Response response = postProtobuf("/v1/traces", traces("svc", span(trace, spanId(), "s")));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.header("Retry-After")).isEqualTo("1");
    assertThat(status(response).getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
    FaultInjectingStorage.heal();
    assertThat(trace(storage, hex(trace))).isEmpty();
  }

  @Test
  void storeOverloadedIs429AndABugIs500() {
    FaultInjectingStorage.failWrites(
        new StorageException(StorageException.Code.OVERLOADED, "too many writers"));
    Response overloaded = postProtobuf("/v1/logs", Otlp.logs("svc", Otlp.log("x")));
    assertThat(overloaded.statusCode()).isEqualTo(429);
    assertThat(overloaded.header("Retry-After")).isEqualTo("1");

    FaultInjectingStorage.failWrites(
        new StorageException(StorageException.Code.INTERNAL, "corrupt page"));
    Response internal = postProtobuf("/v1/logs", Otlp.logs("svc", Otlp.log("x")));
    assertThat(internal.statusCode()).isEqualTo(500);
    assertThat(internal.header("Retry-After")).isNull();
    assertThat(status(internal).getMessage()).isEqualTo("internal error");
  }

  private double truncations(String signal, String reason) {
    return count("sextant.ingest.truncations", "signal", signal, "reason", reason);
  }

  private double rejected(String signal, String reason) {
    return count(
        "sextant.ingest.records.rejected", "signal", signal, "transport", "http", "reason", reason);
  }

  private double accepted(String signal) {
    return count("sextant.ingest.records.accepted", "signal", signal, "transport", "http");
  }

  private double count(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
