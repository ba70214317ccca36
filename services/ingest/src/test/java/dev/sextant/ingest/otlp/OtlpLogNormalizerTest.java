package dev.sextant.ingest.otlp;

import static dev.sextant.ingest.Otlp.attr;
import static dev.sextant.ingest.Otlp.hex;
import static dev.sextant.ingest.Otlp.log;
import static dev.sextant.ingest.Otlp.logs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sextant.ingest.Otlp;
import dev.sextant.model.LogRecord;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OtlpLogNormalizerTest {
  private static final LimitSettings LIMITS = new LimitSettings(8, 100, 10_000, 16, 8, 8);
  private final OtlpLogNormalizer normalizer = new OtlpLogNormalizer(LIMITS, Duration.ofHours(1));

  @Test
  void convertsEveryField() {
    ByteString trace = Otlp.traceId();
    ByteString span = Otlp.spanId();
    var otlp =
        log("hello")
            .setTraceId(trace)
            .setSpanId(span)
            .setEventName("agent.step")
            .setDroppedAttributesCount(2)
            .addAttributes(attr("k", "v"));

    Normalized<LogRecord> result =
        normalizer.normalize("acme", logs("agent", otlp), Otlp.nowNanos());

    LogRecord record = result.records().getFirst();
    assertThat(record.tenant()).isEqualTo("acme");
    assertThat(record.timeUnixNanos()).isEqualTo(otlp.getTimeUnixNano());
    assertThat(record.observedTimeUnixNanos()).isEqualTo(otlp.getObservedTimeUnixNano());
    assertThat(record.severityNumber()).isEqualTo(13);
    assertThat(record.severityText()).isEqualTo("WARN");
    assertThat(record.body()).isEqualTo("hello");
    assertThat(record.serviceName()).isEqualTo("agent");
    assertThat(record.scopeName()).isEqualTo("test-scope");
    assertThat(record.traceId()).isEqualTo(hex(trace));
    assertThat(record.spanId()).isEqualTo(hex(span));
    assertThat(record.attributes())
        .containsEntry("k", "v")
        .containsEntry("event.name", "agent.step");
    assertThat(record.droppedAttributesCount()).isEqualTo(2);
  }

  @Test
  void missingTimesFallBackToObservedThenReceipt() {
    long now = Otlp.nowNanos();
    var noTime = log("a").setTimeUnixNano(0);
    var noTimes = log("b").setTimeUnixNano(0).setObservedTimeUnixNano(0);
    var records = normalizer.normalize("t", logs("s", noTime, noTimes), now).records();
    assertThat(records.get(0).timeUnixNanos()).isEqualTo(noTime.getObservedTimeUnixNano());
    assertThat(records.get(1).timeUnixNanos()).isEqualTo(now);
    assertThat(records.get(1).observedTimeUnixNanos()).isEqualTo(now);
  }

  @Test
  void invalidRecordsAreRejectedAlone() {
    long now = Otlp.nowNanos();
    var good = log("good");
    var future = log("f").setTimeUnixNano(now + Duration.ofHours(3).toNanos());
    var beyondRange = log("r").setObservedTimeUnixNano(-1);
    var badTrace = log("t").setTraceId(ByteString.copyFrom(new byte[5]));
    var badSpan = log("s").setSpanId(ByteString.copyFrom(new byte[16]));
    var badSeverity = log("v").setSeverityNumberValue(99);

    Normalized<LogRecord> result =
        normalizer.normalize(
            "t", logs("s", good, future, beyondRange, badTrace, badSpan, badSeverity), now);

    assertThat(result.records()).extracting(LogRecord::body).containsExactly("good");
    assertThat(result.rejections().counts())
        .containsEntry(RejectReason.TIME_IN_FUTURE, 1)
        .containsEntry(RejectReason.TIME_OUT_OF_RANGE, 1)
        .containsEntry(RejectReason.INVALID_TRACE_ID, 1)
        .containsEntry(RejectReason.INVALID_SPAN_ID, 1)
        .containsEntry(RejectReason.INVALID_SEVERITY, 1);
  }

  @Test
  void longBodiesAreCutAndCounted() {
    var otlp = log("x".repeat(40));
    Normalized<LogRecord> result = normalizer.normalize("t", logs("s", otlp), Otlp.nowNanos());
    assertThat(result.records().getFirst().body()).isEqualTo("x".repeat(16));
    assertThat(result.truncations().counts()).containsEntry(TruncationReason.LOG_BODY_LENGTH, 1L);
  }

  @Test
  void structuredBodiesKeepTheirShape() {
    var otlp =
        log("ignored")
            .setBody(
                AnyValue.newBuilder()
                    .setKvlistValue(
                        io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
                            .addValues(attr("prompt", "hi"))));
    Object body =
        normalizer.normalize("t", logs("s", otlp), Otlp.nowNanos()).records().getFirst().body();
    assertThat(body).isEqualTo(java.util.Map.of("prompt", "hi"));
  }
}
