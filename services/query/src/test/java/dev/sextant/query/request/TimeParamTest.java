package dev.sextant.query.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.service.errors.RejectedRequestException;
import org.junit.jupiter.api.Test;

class TimeParamTest {

  @Test
  void unixSecondsAreExactToTheNanosecond() {
    assertThat(TimeParam.parse("start", "1714564800")).isEqualTo(1_714_564_800_000_000_000L);
    assertThat(TimeParam.parse("start", "1714564800.5")).isEqualTo(1_714_564_800_500_000_000L);
    assertThat(TimeParam.parse("start", "1714564800.123456789"))
        .isEqualTo(1_714_564_800_123_456_789L);
    assertThat(TimeParam.parse("start", "0")).isZero();
  }

  @Test
  void rfc3339WithFractionsAndOffsets() {
    assertThat(TimeParam.parse("end", "2024-05-01T12:00:00Z"))
        .isEqualTo(1_714_564_800_000_000_000L);
    assertThat(TimeParam.parse("end", "2024-05-01T14:00:00.000000001+02:00"))
        .isEqualTo(1_714_564_800_000_000_001L);
  }

  @Test
  void garbageIsRefusedNamingTheParameterAndBothFormats() {
    for (String bad :
        new String[] {
          "yesterday", "1.2.3", "1e9", "-5", "2024-13-01T00:00:00Z", "1714564800.", ""
        }) {
      assertThatThrownBy(() -> TimeParam.parse("start", bad))
          .as(bad)
          .isInstanceOf(RejectedRequestException.class)
          .hasMessageContaining("start must be an RFC 3339 time")
          .hasMessageContaining("Unix seconds");
    }
  }

  @Test
  void beforeTheEpochAndBeyondTheLongRangeAreRefused() {
    assertThatThrownBy(() -> TimeParam.parse("start", "1969-12-31T23:59:59Z"))
        .hasMessageContaining("before 1970");
    assertThatThrownBy(() -> TimeParam.parse("end", "9999999999999"))
        .hasMessageContaining("end must be");
    assertThatThrownBy(() -> TimeParam.parse("end", "99999999999"))
        .hasMessageContaining("too far in the future");
    assertThatThrownBy(() -> TimeParam.parse("end", "2300-01-01T00:00:00Z"))
        .hasMessageContaining("too far in the future");
  }

  @Test
  void aLongValueIsEchoedShortened() {
    String huge = "x".repeat(5000);
    assertThatThrownBy(() -> TimeParam.parse("start", huge))
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
  }
}
