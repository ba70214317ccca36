package dev.sextant.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.service.errors.Failures;
import dev.sextant.service.errors.RejectedRequestException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  private static ExportTraceServiceRequest parse(String json) {
    return OtlpJson.parse(
            json.getBytes(StandardCharsets.UTF_8), ExportTraceServiceRequest.newBuilder())
        .build();
  }

  @Test
  void readsHexIdsIntEnumsAndStringOrNumberInt64() {
    ExportTraceServiceRequest request =
        parse(
            """
            {"resourceSpans":[{"scopeSpans":[{"spans":[{
              "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174",
              "parentSpanId":"","name":"x","kind":3,
              "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
              "links":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b173"}],
              "attributes":[{"key":"traceId","value":{"stringValue":"not an id"}},
                            {"key":"b","value":{"bytesValue":"AQID"}}],
              "unknownField":{"nested":[1,2,{"x":null}]}
            }]}]}]}
            """);
    Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray()))
        .isEqualTo("eee19b7ec3c1b174");
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
    assertThat(span.getLinks(0).getSpanId().size()).isEqualTo(8);
    assertThat(span.getAttributes(0).getValue().getStringValue()).isEqualTo("not an id");
    assertThat(span.getAttributes(1).getValue().getBytesValue().toByteArray())
        .containsExactly(1, 2, 3);
  }

  @Test
  void anIdThatIsNotHexBecomesAnInvalidIdNotAMalformedRequest() {
    Span span =
        parse(
                """
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":"eee19b7ec3c1b174"}]}]}]}
                """)
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertThat(span.getTraceId().size()).isEqualTo(1);
  }

  @Test
  void malformedDocumentsAreBadInput() {
    for (String json :
        new String[] {
          "",
          "{",
          "{\"resourceSpans\":[}",
          "[]",
          "{} {}",
          "{\"resourceSpans\":\"x\"}",
          "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"abc\"}]}]}]}",
          "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}"
        }) {
      assertThat(parses(json)).as(json.length() > 40 ? json.substring(0, 40) : json).isFalse();
      assertThatThrownBy(() -> parse(json))
          .isInstanceOfSatisfying(
              RejectedRequestException.class,
              e -> assertThat(e.kind()).isEqualTo(Failures.Kind.BAD_INPUT));
    }
  }

  private static boolean parses(String json) {
    try {
      parse(json);
      return true;
    } catch (RejectedRequestException e) {
      return false;
    }
  }

  @Test
  void invalidUtf8IsBadInputNotReplaced() {
    byte[] json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"XX\"}]}]}]}"
            .getBytes(StandardCharsets.UTF_8);
    int at = new String(json, StandardCharsets.UTF_8).indexOf("XX");
    json[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte: malformed
    assertThatThrownBy(() -> OtlpJson.parse(json, ExportTraceServiceRequest.newBuilder()))
        .isInstanceOfSatisfying(
            RejectedRequestException.class, e -> assertThat(e.getMessage()).contains("UTF-8"));
  }
}
