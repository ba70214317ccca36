package dev.sextant.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sextant.ingest.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.Test;

/**
 * Ingest relies on protobuf-java refusing invalid UTF-8 in proto3 string fields while parsing, so
 * such a request never reaches normalisation: this pins that behaviour.
 */
class ProtobufUtf8Test {

  @Test
  void proto3ParsingRejectsInvalidUtf8InStrings() {
    byte[] traces =
        Otlp.withInvalidUtf8(
            Otlp.traces("svc", Otlp.span(Otlp.traceId(), Otlp.spanId(), "MARKER")).toByteArray(),
            "MARKER");
    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(traces))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("UTF-8");

    byte[] logs =
        Otlp.withInvalidUtf8(
            Otlp.logs("svc", Otlp.log("x").addAttributes(Otlp.attr("MARKER", "v"))).toByteArray(),
            "MARKER");
    assertThatThrownBy(() -> ExportLogsServiceRequest.parseFrom(logs))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }
}
