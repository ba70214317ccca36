package dev.sextant.query.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationParamTest {

  @Test
  void goDurations() {
    assertThat(DurationParam.parse("d", "250ms")).isEqualTo(250_000_000L);
    assertThat(DurationParam.parse("d", "1.5s")).isEqualTo(1_500_000_000L);
    assertThat(DurationParam.parse("d", "2m")).isEqualTo(120_000_000_000L);
    assertThat(DurationParam.parse("d", "100us")).isEqualTo(100_000L);
    assertThat(DurationParam.parse("d", "100\u00b5s")).isEqualTo(100_000L);
    assertThat(DurationParam.parse("d", "100\u03bcs")).isEqualTo(100_000L);
    assertThat(DurationParam.parse("d", "10ns")).isEqualTo(10L);
    assertThat(DurationParam.parse("d", "1h30m")).isEqualTo(5_400_000_000_000L);
    assertThat(DurationParam.parse("d", "1h1m1s1ms1us1ns")).isEqualTo(3_661_001_001_001L);
    assertThat(DurationParam.parse("d", ".5s")).isEqualTo(500_000_000L);
    assertThat(DurationParam.parse("d", "+3s")).isEqualTo(3_000_000_000L);
    assertThat(DurationParam.parse("d", "0")).isZero();
    assertThat(DurationParam.parse("d", "0s")).isZero();
  }

  @Test
  void fractionsBelowANanosecondAreTruncatedAsInGo() {
    assertThat(DurationParam.parse("d", "1.9ns")).isEqualTo(1L);
  }

  @Test
  void negativeDurationsAreRefused() {
    assertThatThrownBy(() -> DurationParam.parse("minDuration", "-1s"))
        .hasMessage("minDuration must not be negative, got '-1s'");
  }

  @Test
  void malformedDurationsAreRefusedWithTheUnits() {
    for (String bad :
        new String[] {"", "1", "s", "1d", "1.s.", "1 s", "1sec", "ms", ".s", "1e3s"}) {
      assertThatThrownBy(() -> DurationParam.parse("maxDuration", bad))
          .as(bad)
          .hasMessageContaining("maxDuration must be a duration like 250ms")
          .hasMessageContaining("units ns, us, ms, s, m, h");
    }
  }

  @Test
  void overflowIsRefused() {
    assertThatThrownBy(() -> DurationParam.parse("d", "2562048h")).hasMessageContaining("too long");
    assertThatThrownBy(() -> DurationParam.parse("d", "9".repeat(40) + "ns"))
        .hasMessageContaining("too long");
    assertThat(DurationParam.parse("d", "2562047h")).isEqualTo(2_562_047L * 3_600_000_000_000L);
  }
}
