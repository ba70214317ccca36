package dev.sextant.storage.postgres;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Temporality;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One metric write as a {@code metric_wal} row: per series of the write, its full definition (a
 * flush creates or updates the series row from it) and its points in arrival order ({@link
 * PointCodec}). A series' id is hashed once per definition object, not once per point.
 */
record WalRecord(byte[] payload, String[] tenants, int points) {

  private static final MetricType[] TYPES = MetricType.values();
  private static final Temporality[] TEMPORALITIES = Temporality.values();

  /**
   * A series of a record: its id, tenant and points, and where its definition's bytes are in the
   * record. The definition is decoded only when asked for: a flush of many records meets each
   * series once per record, and mostly needs its definition not at all.
   */
  record SeriesPoints(
      long id, String tenant, byte[] payload, int definitionStart, List<MetricPoint> points) {

    /**
     * Whether the definition has these fields (besides its name and labels, the series' identity).
     */
    boolean describes(MetricType type, Temporality temporality, String unit, String description) {
      Bytes.Reader in = new Bytes.Reader(payload, definitionStart);
      in.skipString();
      int labelCount = Math.toIntExact(in.readUnsigned());
      for (int l = 0; l < 2 * labelCount; l++) {
        in.skipString();
      }
      return TYPES[in.readByte()] == type
          && TEMPORALITIES[in.readByte()] == temporality
          && in.readString().equals(unit)
          && in.readString().equals(description);
    }

    /** The series as written. */
    MetricSeries definition() {
      Bytes.Reader in = new Bytes.Reader(payload, definitionStart);
      String name = in.readString();
      int labelCount = Math.toIntExact(in.readUnsigned());
      Map<String, String> labels = new TreeMap<>();
      for (int l = 0; l < labelCount; l++) {
        labels.put(in.readString(), in.readString());
      }
      MetricType type = TYPES[in.readByte()];
      Temporality temporality = TEMPORALITIES[in.readByte()];
      String unit = in.readString();
      String description = in.readString();
      return new MetricSeries(
          tenant, name, Labels.of(labels), type, temporality, unit, description);
    }
  }

  private record Key(String tenant, long id) {}

  static WalRecord of(List<MetricWrite> writes) {
    Map<MetricSeries, Long> ids = new IdentityHashMap<>();
    Map<Key, MetricSeries> definitions = new LinkedHashMap<>();
    Map<Key, List<MetricPoint>> points = new LinkedHashMap<>();
    TreeSet<String> tenants = new TreeSet<>();
    for (MetricWrite write : writes) {
      MetricSeries series = write.series();
      long id = ids.computeIfAbsent(series, MetricSeries::id);
      Key key = new Key(series.tenant(), id);
      definitions.put(key, series);
      points.computeIfAbsent(key, k -> new ArrayList<>()).add(write.point());
      tenants.add(series.tenant());
    }
    Bytes.Writer out = new Bytes.Writer(writes.size() * 12 + definitions.size() * 64);
    out.writeUnsigned(definitions.size());
    for (Map.Entry<Key, MetricSeries> entry : definitions.entrySet()) {
      MetricSeries s = entry.getValue();
      out.writeLongBits(entry.getKey().id());
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
      PointCodec.encodeInto(out, points.get(entry.getKey()));
    }
    return new WalRecord(out.toByteArray(), tenants.toArray(new String[0]), writes.size());
  }

  static List<SeriesPoints> decode(byte[] payload) {
    Bytes.Reader in = new Bytes.Reader(payload);
    int count = Math.toIntExact(in.readUnsigned());
    List<SeriesPoints> series = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long id = in.readLongBits();
      String tenant = in.readString();
      int definitionStart = in.position();
      in.skipString();
      int labelCount = Math.toIntExact(in.readUnsigned());
      for (int l = 0; l < 2 * labelCount; l++) {
        in.skipString();
      }
      in.readByte();
      in.readByte();
      in.skipString();
      in.skipString();
      series.add(new SeriesPoints(id, tenant, payload, definitionStart, PointCodec.decodeFrom(in)));
    }
    return series;
  }
}
