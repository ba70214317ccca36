package dev.sextant.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A log record names its series by id and tenant (definitions are stored apart, schema version 6);
 * records written before carry full definitions and still decode.
 */
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

  private static final MetricSeries QUEUE =
      new MetricSeries(
          "other",
          "queue_depth",
          Labels.of("q", "jobs"),
          MetricType.GAUGE,
          Temporality.NONE,
          "",
          "");

  @Test
  void aRecordCarriesIdsTenantsAndPointsAndListsItsSeriesOnce() {
    NumberPoint first = new NumberPoint(1, 10, 1.5);
    NumberPoint second = new NumberPoint(1, 20, 2.5);
    NumberPoint queued = new NumberPoint(0, 15, 7);
    WalRecord record =
        WalRecord.of(
            List.of(
                new MetricWrite(BYTES, first),
                new MetricWrite(QUEUE, queued),
                new MetricWrite(BYTES, second)));

    assertThat(record.points()).isEqualTo(3);
    assertThat(record.tenants()).containsExactly("other", "tenant-é");
    assertThat(record.series())
        .containsExactly(
            new WalRecord.Defined(BYTES.id(), BYTES), new WalRecord.Defined(QUEUE.id(), QUEUE));
    assertThat(record.payload()[0]).as("the version-6 marker").isZero();
    List<WalRecord.SeriesPoints> decoded = WalRecord.decode(record.payload());
    assertThat(decoded)
        .extracting(
            WalRecord.SeriesPoints::id,
            WalRecord.SeriesPoints::tenant,
            WalRecord.SeriesPoints::points,
            WalRecord.SeriesPoints::legacyDefinition)
        .containsExactly(
            tuple(BYTES.id(), BYTES.tenant(), List.of(first, second), null),
            tuple(QUEUE.id(), QUEUE.tenant(), List.of(queued), null));
  }

  @Test
  void aRecordWrittenBeforeVersion6DecodesWithItsDefinitions() {
    NumberPoint point = new NumberPoint(1, 10, 1.5);
    byte[] legacy = legacyPayload(List.of(new MetricWrite(BYTES, point)));

    assertThat(WalRecord.decode(legacy))
        .extracting(
            WalRecord.SeriesPoints::id,
            WalRecord.SeriesPoints::tenant,
            WalRecord.SeriesPoints::points,
            WalRecord.SeriesPoints::legacyDefinition)
        .containsExactly(tuple(BYTES.id(), BYTES.tenant(), List.of(point), BYTES));
  }

  @Test
  void aRecordOfAnUnknownFormatIsRefused() {
    assertThatThrownBy(() -> WalRecord.decode(new byte[] {0, 9, 0}))
        .hasMessageContaining("unknown format 9");
  }

  /** A log record as schema version 5 wrote it: per series its full definition, then points. */
  static byte[] legacyPayload(List<MetricWrite> writes) {
    Map<MetricSeries, List<MetricPoint>> bySeries = new LinkedHashMap<>();
    for (MetricWrite write : writes) {
      bySeries.computeIfAbsent(write.series(), s -> new ArrayList<>()).add(write.point());
    }
    Bytes.Writer out = new Bytes.Writer(256);
    out.writeUnsigned(bySeries.size());
    for (Map.Entry<MetricSeries, List<MetricPoint>> entry : bySeries.entrySet()) {
      MetricSeries s = entry.getKey();
      out.writeLongBits(s.id());
      out.writeString(s.tenant());
      out.writeString(s.name());
      out.writeUnsigned(s.labels().size());
      for (Map.Entry<String, String> label : s.labels().asMap().entrySet()) {
        out.writeString(label.getKey());
        out.writeString(label.getValue());
      }
      out.writeByte(s.type().ordinal());
      out.writeByte(s.temporality().ordinal());
      out.writeString(s.unit());
      out.writeString(s.description());
      PointCodec.encodeInto(out, entry.getValue());
    }
    return out.toByteArray();
  }
}
