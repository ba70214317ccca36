package dev.sextant.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log record keeps each series' definition as bytes, decoded only when a flush asks. */
class WalRecordTest {
  private static final MetricSeries BYTES =
      new MetricSeries(
          "tenant-é",
          "io_bytes_total",
          Labels.of("device", "sda", "host", "ü"),
          MetricType.COUNTER,
          Temporality.CUMULATIVE,
          "By",
          "bytes moved");

  @Test
  void definitionsAndPointsReadBackAsWritten() {
    NumberPoint first = new NumberPoint(1, 10, 1.5);
    NumberPoint second = new NumberPoint(1, 20, 2.5);
    WalRecord record =
        WalRecord.of(List.of(new MetricWrite(BYTES, first), new MetricWrite(BYTES, second)));

    List<WalRecord.SeriesPoints> series = WalRecord.decode(record.payload());

    assertThat(series).hasSize(1);
    WalRecord.SeriesPoints only = series.getFirst();
    assertThat(only.id()).isEqualTo(BYTES.id());
    assertThat(only.tenant()).isEqualTo(BYTES.tenant());
    assertThat(only.points()).containsExactly(first, second);
    assertThat(only.definition()).isEqualTo(BYTES);
    assertThat(only.describes(MetricType.COUNTER, Temporality.CUMULATIVE, "By", "bytes moved"))
        .isTrue();
    assertThat(only.describes(MetricType.COUNTER, Temporality.CUMULATIVE, "KiBy", "bytes moved"))
        .isFalse();
    assertThat(only.describes(MetricType.GAUGE, Temporality.CUMULATIVE, "By", "bytes moved"))
        .isFalse();
    assertThat(only.describes(MetricType.COUNTER, Temporality.DELTA, "By", "bytes moved"))
        .isFalse();
    assertThat(only.describes(MetricType.COUNTER, Temporality.CUMULATIVE, "By", "")).isFalse();
  }
}
