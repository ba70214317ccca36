package dev.sextant.query.prom.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Times, durations and numbers exactly as Prometheus 2.42's HTTP API reads and writes them. */
class PromFormatsTest {

  @Test
  void timesAsFloatSecondsRfc3339AndTheBoundaryTexts() {
    assertThat(PromTime.parseTime("1714564800")).isEqualTo(1_714_564_800_000L);
    assertThat(PromTime.parseTime("1714564800.5")).isEqualTo(1_714_564_800_500L);
    assertThat(PromTime.parseTime("1.5e3")).isEqualTo(1_500_000L);
    assertThat(PromTime.parseTime("-1.5")).isEqualTo(-1500L);
    assertThat(PromTime.parseTime("1.0004")).isEqualTo(1000L);
    assertThat(PromTime.parseTime("2024-05-01T12:00:00.123Z")).isEqualTo(1_714_564_800_123L);
    assertThat(PromTime.parseTime("2024-05-01T14:00:00+02:00")).isEqualTo(1_714_564_800_000L);
    assertThat(PromTime.parseTime(PromTime.MIN_TEXT)).isEqualTo(PromTime.MIN_MS);
    assertThat(PromTime.parseTime(PromTime.MAX_TEXT)).isEqualTo(PromTime.MAX_MS);
    assertThatThrownBy(() -> PromTime.parseTime("yesterday"))
        .hasMessage("cannot parse \"yesterday\" to a valid timestamp");
  }

  @Test
  void durationsAsFloatSecondsOrPrometheusDurations() {
    assertThat(PromTime.parseDuration("15")).isEqualTo(15_000L);
    assertThat(PromTime.parseDuration("0.5")).isEqualTo(500L);
    assertThat(PromTime.parseDuration("1m30s")).isEqualTo(90_000L);
    assertThat(PromTime.parseDuration("1d")).isEqualTo(86_400_000L);
    assertThatThrownBy(() -> PromTime.parseDuration("5 minutes"))
        .hasMessage("cannot parse \"5 minutes\" to a valid duration");
    assertThatThrownBy(() -> PromTime.parseDuration("1e300"))
        .hasMessageContaining("overflows int64");
  }

  @Test
  void timestampsWithUpToThreeDecimals() {
    StringBuilder out = new StringBuilder();
    PromTime.appendTimestamp(out, 1_714_564_800_000L);
    out.append(' ');
    PromTime.appendTimestamp(out, 1_714_564_800_050L);
    out.append(' ');
    PromTime.appendTimestamp(out, -1500);
    assertThat(out).hasToString("1714564800 1714564800.050 -1.500");
  }

  @Test
  void valuesInGosFormat() {
    assertThat(format(1)).isEqualTo("1");
    assertThat(format(0.1)).isEqualTo("0.1");
    assertThat(format(1e-7)).isEqualTo("1e-07");
    assertThat(format(-2.5e-10)).isEqualTo("-2.5e-10");
    assertThat(format(1e21)).isEqualTo("1e+21");
    assertThat(format(123456789012345680000d)).isEqualTo("123456789012345680000");
    assertThat(format(Double.NaN)).isEqualTo("NaN");
    assertThat(format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(format(-0.0)).isEqualTo("-0");
  }

  @Test
  void stringsEscapedAsGoEncodesThem() {
    StringBuilder out = new StringBuilder();
    PromJson.string(out, "a\"b\\c\n<&>\u0001");
    assertThat(out).hasToString("\"a\\\"b\\\\c\\n\\u003c\\u0026\\u003e\\u0001\"");
  }

  private static String format(double v) {
    StringBuilder out = new StringBuilder();
    PromJson.appendFloat(out, v);
    return out.toString();
  }
}
