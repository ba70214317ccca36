package dev.sextant.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceIdsTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN = "b7ad6b7169203331";

  @Test
  void idsAreLowercaseHexOfTheirLength() {
    assertThat(TraceIds.isTraceId(TRACE)).isTrue();
    assertThat(TraceIds.isSpanId(SPAN)).isTrue();
    assertThat(TraceIds.isTraceId(TRACE.toUpperCase())).isFalse();
    assertThat(TraceIds.isTraceId(TRACE.substring(1))).isFalse();
    assertThat(TraceIds.isSpanId(SPAN + "0")).isFalse();
    assertThat(TraceIds.isSpanId("b7ad6b716920333g")).isFalse();
    assertThat(TraceIds.isSpanId(null)).isFalse();
  }

  private static Span span(String traceId, String spanId, String parent) {
    return new Span(
        "t",
        traceId,
        spanId,
        parent,
        "op",
        SpanKind.INTERNAL,
        1,
        2,
        StatusCode.UNSET,
        null,
        "svc",
        null,
        null,
        Map.of(),
        Map.of(),
        List.of(),
        List.of(),
        0);
  }

  @Test
  void aSpanRefusesIdsOfAnotherForm() {
    assertThat(span(TRACE, SPAN, null).parentSpanId()).isEmpty();
    assertThatThrownBy(() -> span("abc", SPAN, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("traceId");
    assertThatThrownBy(() -> span(TRACE, "B7AD6B7169203331", "")).hasMessageContaining("spanId");
    assertThatThrownBy(() -> span(TRACE, SPAN, "x")).hasMessageContaining("parentSpanId");
  }

  @Test
  void aLogRecordIsLinkedByValidIdsOrNotAtAll() {
    LogRecord unlinked =
        new LogRecord("t", 1, 1, 9, "INFO", "b", "s", "", null, null, null, null, 0);
    assertThat(unlinked.traceId()).isEmpty();
    assertThatThrownBy(
            () -> new LogRecord("t", 1, 1, 9, "INFO", "b", "s", "", "zz", SPAN, null, null, 0))
        .hasMessageContaining("traceId");
  }

  @Test
  void attributesFrozenOnceAreSharedNotCopiedAgain() {
    Map<String, Object> frozen = Attributes.copyOf(Map.of("service.name", "a"));

    assertThat(Attributes.copyOf(frozen)).isSameAs(frozen);
    assertThat(frozen).isEqualTo(Map.of("service.name", "a"));
    assertThatThrownBy(() -> frozen.put("k", "v"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.entrySet().iterator().next().setValue("b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
