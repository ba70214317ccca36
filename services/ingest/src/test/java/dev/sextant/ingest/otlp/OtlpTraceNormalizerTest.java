package dev.sextant.ingest.otlp;

import static dev.sextant.ingest.Otlp.attr;
import static dev.sextant.ingest.Otlp.hex;
import static dev.sextant.ingest.Otlp.span;
import static dev.sextant.ingest.Otlp.spanId;
import static dev.sextant.ingest.Otlp.traceId;
import static dev.sextant.ingest.Otlp.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sextant.ingest.Otlp;
import dev.sextant.model.Span;
import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpTraceNormalizerTest {
  private static final LimitSettings LIMITS = new LimitSettings(4, 10, 200, 20, 2, 2);
  private final OtlpTraceNormalizer normalizer =
      new OtlpTraceNormalizer(LIMITS, Duration.ofHours(1));

  private Normalized<Span> normalize(ExportTraceServiceRequest request) {
    return normalizer.normalize("acme", request, Otlp.nowNanos());
  }

  @Test
  void convertsEveryField() {
    ByteString trace = traceId();
    ByteString id = spanId();
    ByteString parent = spanId();
    var otlp =
        span(trace, id, "GET /")
            .setParentSpanId(parent)
            .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
            .setStatus(
                Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
            .setDroppedAttributesCount(3)
            .addAttributes(attr("http.method", "GET"))
            .addEvents(
                io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                    .setName("exception")
                    .setTimeUnixNano(Otlp.nowNanos() - 5_000_000_000L)
                    .addAttributes(attr("exception.type", "IOE")))
            .addLinks(
                io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                    .setTraceId(trace)
                    .setSpanId(parent));

    Normalized<Span> result = normalize(traces("checkout", otlp));

    assertThat(result.received()).isEqualTo(1);
    assertThat(result.rejections().total()).isZero();
    Span span = result.records().getFirst();
    assertThat(span.tenant()).isEqualTo("acme");
    assertThat(span.traceId()).isEqualTo(hex(trace)).matches("[0-9a-f]{32}");
    assertThat(span.spanId()).isEqualTo(hex(id));
    assertThat(span.parentSpanId()).isEqualTo(hex(parent));
    assertThat(span.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.statusMessage()).isEqualTo("boom");
    assertThat(span.serviceName()).isEqualTo("checkout");
    assertThat(span.scopeName()).isEqualTo("test-scope");
    assertThat(span.scopeVersion()).isEqualTo("1.2");
    assertThat(span.startTimeUnixNanos()).isEqualTo(otlp.getStartTimeUnixNano());
    assertThat(span.endTimeUnixNanos()).isEqualTo(otlp.getEndTimeUnixNano());
    assertThat(span.resourceAttributes()).containsEntry("service.name", "checkout");
    assertThat(span.attributes()).containsExactly(Map.entry("http.method", "GET"));
    assertThat(span.droppedAttributesCount()).isEqualTo(3);
    assertThat(span.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo("exception");
              assertThat(e.attributes()).containsEntry("exception.type", "IOE");
            });
    assertThat(span.links())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.traceId()).isEqualTo(hex(trace));
              assertThat(l.spanId()).isEqualTo(hex(parent));
            });
  }

  @Test
  void anyValuesBecomeJavaValues() {
    AnyValue nested =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(attr("n", AnyValue.newBuilder().setIntValue(7).build()))
                    .addValues(attr("d", AnyValue.newBuilder().setDoubleValue(1.5).build())))
            .build();
    AnyValue array =
        AnyValue.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder()
                    .addValues(AnyValue.newBuilder().setBoolValue(true))
                    .addValues(AnyValue.newBuilder().setStringValue("x")))
            .build();
    AnyValue bytes =
        AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
    Span span =
        normalize(
                traces(
                    "svc",
                    span(traceId(), spanId(), "s")
                        .addAttributes(attr("map", nested))
                        .addAttributes(attr("list", array))
                        .addAttributes(attr("bytes", bytes))
                        .addAttributes(attr("int", AnyValue.newBuilder().setIntValue(-1).build()))))
            .records()
            .getFirst();

    assertThat(span.attributes())
        .containsEntry("map", Map.of("n", 7L, "d", 1.5))
        .containsEntry("list", List.of(true, "x"))
        .containsEntry("bytes", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))
        .containsEntry("int", -1L);
  }

  @Test
  void badIdsAndTimesRejectEachSpanAlone() {
    long now = Otlp.nowNanos();
    var good = span(traceId(), spanId(), "good");
    var shortTrace = span(ByteString.copyFrom(new byte[3]), spanId(), "a");
    var zeroTrace = span(ByteString.copyFrom(new byte[16]), spanId(), "b");
    var zeroSpan = span(traceId(), ByteString.copyFrom(new byte[8]), "c");
    var badParent =
        span(traceId(), spanId(), "d").setParentSpanId(ByteString.copyFrom(new byte[5]));
    var noStart = span(traceId(), spanId(), "e").setStartTimeUnixNano(0);
    var endBeforeStart =
        span(traceId(), spanId(), "f").setStartTimeUnixNano(now - 10).setEndTimeUnixNano(now - 20);
    var future =
        span(traceId(), spanId(), "g")
            .setStartTimeUnixNano(now)
            .setEndTimeUnixNano(now + Duration.ofHours(2).toNanos());
    // fixed64 above Long.MAX_VALUE: negative in Java.
    var beyondRange = span(traceId(), spanId(), "h").setStartTimeUnixNano(-5);

    Normalized<Span> result =
        normalize(
            traces(
                "svc",
                good,
                shortTrace,
                zeroTrace,
                zeroSpan,
                badParent,
                noStart,
                endBeforeStart,
                future,
                beyondRange));

    assertThat(result.received()).isEqualTo(9);
    assertThat(result.records()).extracting(Span::name).containsExactly("good");
    assertThat(result.rejections().total()).isEqualTo(8);
    assertThat(result.rejections().counts())
        .containsEntry(RejectReason.INVALID_TRACE_ID, 2)
        .containsEntry(RejectReason.INVALID_SPAN_ID, 1)
        .containsEntry(RejectReason.INVALID_PARENT_SPAN_ID, 1)
        .containsEntry(RejectReason.MISSING_TIME, 1)
        .containsEntry(RejectReason.END_BEFORE_START, 1)
        .containsEntry(RejectReason.TIME_IN_FUTURE, 1)
        .containsEntry(RejectReason.TIME_OUT_OF_RANGE, 1);
    assertThat(result.rejections().describe("spans"))
        .startsWith("rejected 8 spans: ")
        .contains("invalid_trace_id x2 (trace id must be 16 bytes, got 3)")
        .contains("and 2 more reasons");
  }

  @Test
  void allZeroParentMeansRoot() {
    Span span =
        normalize(
                traces(
                    "svc",
                    span(traceId(), spanId(), "root")
                        .setParentSpanId(ByteString.copyFrom(new byte[8]))))
            .records()
            .getFirst();
    assertThat(span.isRoot()).isTrue();
  }

  @Test
  void missingServiceNameIsUnknownService() {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attr("host", "h")))
                    .addScopeSpans(
                        ScopeSpans.newBuilder().addSpans(span(traceId(), spanId(), "s"))))
            .build();
    assertThat(normalize(request).records().getFirst().serviceName()).isEqualTo("unknown_service");
  }

  @Test
  void limitsCutAttributesAndCountEveryCut() {
    var otlp =
        span(traceId(), spanId(), "a-very-long-span-name")
            .addAttributes(attr("long", "0123456789abcdef"))
            .addAttributes(attr("a", "1"))
            .addAttributes(attr("a", "duplicate"))
            .addAttributes(attr("b", "2"))
            .addAttributes(attr("c", "3"))
            .addAttributes(attr("d", "over the count"))
            .addAttributes(attr("empty", AnyValue.getDefaultInstance()));
    for (int i = 0; i < 3; i++) {
      otlp.addEvents(
          io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
              .setName("e" + i)
              .setTimeUnixNano(otlp.getStartTimeUnixNano()));
    }
    otlp.addLinks(
        io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[2]))
            .setSpanId(spanId()));

    Normalized<Span> result = normalize(traces("svc", otlp));

    Span span = result.records().getFirst();
    assertThat(span.name()).isEqualTo("a-very-lon");
    assertThat(span.attributes())
        .containsExactly(
            Map.entry("long", "0123456789"),
            Map.entry("a", "1"),
            Map.entry("b", "2"),
            Map.entry("c", "3"));
    assertThat(span.droppedAttributesCount()).isEqualTo(3);
    assertThat(span.events()).hasSize(2);
    assertThat(span.links()).isEmpty();
    assertThat(result.truncations().counts())
        .containsEntry(TruncationReason.NAME_LENGTH, 1L)
        .containsEntry(TruncationReason.ATTRIBUTE_VALUE_LENGTH, 1L)
        .containsEntry(TruncationReason.DUPLICATE_ATTRIBUTE, 1L)
        .containsEntry(TruncationReason.ATTRIBUTE_COUNT, 2L)
        .containsEntry(TruncationReason.EVENT_COUNT, 1L)
        .containsEntry(TruncationReason.INVALID_LINK, 1L);
    assertThat(result.truncations().describe()).startsWith("limits applied: ");
  }

  @Test
  void recordBudgetDropsAttributesThatNoLongerFit() {
    LimitSettings limits = new LimitSettings(100, 1000, 30, 1000, 10, 10);
    var otlp =
        span(traceId(), spanId(), "s")
            .addAttributes(attr("k1", "x".repeat(12))) // 14 bytes
            .addAttributes(attr("k2", "y".repeat(12))) // 14 bytes: 28 in all
            .addAttributes(attr("k3", "z".repeat(12))) // would be 42: dropped
            .addAttributes(attr("k", "z")); // 2 bytes: 30, fits
    Normalized<Span> result =
        new OtlpTraceNormalizer(limits, Duration.ofHours(1))
            .normalize("t", traces("svc", otlp), Otlp.nowNanos());
    Span span = result.records().getFirst();
    assertThat(span.attributes()).containsOnlyKeys("k1", "k2", "k");
    assertThat(span.droppedAttributesCount()).isEqualTo(1);
    assertThat(result.truncations().counts())
        .containsEntry(TruncationReason.RECORD_ATTRIBUTE_BYTES, 1L);
  }

  @Test
  void unlimitedKeepsEverything() {
    var otlp = span(traceId(), spanId(), "s");
    for (int i = 0; i < 300; i++) {
      otlp.addAttributes(attr("k" + i, "v".repeat(20_000)));
    }
    Normalized<Span> result =
        new OtlpTraceNormalizer(LimitSettings.UNLIMITED, Duration.ofHours(1))
            .normalize("t", traces("svc", otlp), Otlp.nowNanos());
    assertThat(result.records().getFirst().attributes()).hasSize(300);
    assertThat(result.truncations().counts()).isEmpty();
  }

  @Test
  void countIsTheNumberOfSpans() {
    var request = traces("svc", span(traceId(), spanId(), "a"), span(traceId(), spanId(), "b"));
    assertThat(OtlpTraceNormalizer.count(request)).isEqualTo(2);
  }
}
