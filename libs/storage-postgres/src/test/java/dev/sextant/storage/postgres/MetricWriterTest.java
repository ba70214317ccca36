package dev.sextant.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many logged points a flush takes: the setting, unless the heap would not hold them. */
class MetricWriterTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void aFlushTakesTheSettingWhenTheHeapHoldsIt() {
    assertThat(MetricWriter.pointsPerFlush(2_000_000, 1024 * MIB)).isEqualTo(2_000_000);
    assertThat(MetricWriter.pointsPerFlush(100_000, 256 * MIB)).isEqualTo(100_000);
  }

  @Test
  void aSmallHeapTakesAPointPer320BytesAndNeverFewerThan10000() {
    assertThat(MetricWriter.pointsPerFlush(2_000_000, 256 * MIB)).isEqualTo(838_860);
    assertThat(MetricWriter.pointsPerFlush(2_000_000, MIB)).isEqualTo(10_000);
  }
}
