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
 * One metric write as a {@code metric_wal} row: per series of the write, its id, its tenant and its
 * points in arrival order ({@link PointCodec}). Definitions live in {@code metric_definitions}
 * (schema version 6), written with the record; {@code series} lists the write's series once each
 * for that. A series' id is hashed once per definition object, not once per point.
 *
 * <p>Records written before version 6 start with the series count and carry each series' full
 * definition; version-6 records start with a zero byte (a count is never zero) and {@link #FORMAT}.
 * Both decode; a flush stores the old records' definitions before it uses them.
 */
record WalRecord(byte[] payload, String[] tenants, int points, List<Defined> series) {

  /** The format after the leading zero byte. */
  static final int FORMAT = 2;

  private static final MetricType[] TYPES = MetricType.values();
  private static final Temporality[] TEMPORALITIES = Temporality.values();

  /** A series of a write with its id. */
  record Defined(long id, MetricSeries series) {}

  /**
   * A series of a record: its id, tenant and points; in a record written before schema version 6,
   * where its definition starts ({@code definitionAt}, -1 otherwise), decoded only when asked for
   * (a flush of such records would otherwise hold one per series and record).
   */
  record SeriesPoints(
      long id, String tenant, byte[] payload, int definitionAt, List<MetricPoint> points) {

    /** The definition an old record carries; null for a version-6 record. */
    MetricSeries legacyDefinition() {
      if (definitionAt < 0) {
        return null;
      }
      Bytes.Reader in = new Bytes.Reader(payload, definitionAt);
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
    Bytes.Writer out = new Bytes.Writer(writes.size() * 8 + definitions.size() * 16);
    out.writeByte(0);
    out.writeByte(FORMAT);
    out.writeUnsigned(definitions.size());
    List<Defined> series = new ArrayList<>(definitions.size());
    for (Map.Entry<Key, MetricSeries> entry : definitions.entrySet()) {
      out.writeLongBits(entry.getKey().id());
      out.writeString(entry.getKey().tenant());
      PointCodec.encodeInto(out, points.get(entry.getKey()));
      series.add(new Defined(entry.getKey().id(), entry.getValue()));
    }
    return new WalRecord(
        out.toByteArray(), tenants.toArray(new String[0]), writes.size(), List.copyOf(series));
  }

  static List<SeriesPoints> decode(byte[] payload) {
    Bytes.Reader in = new Bytes.Reader(payload);
    if (payload.length > 0 && payload[0] == 0) {
      in.readByte();
      int format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("metric log record of unknown format " + format);
      }
      int count = Math.toIntExact(in.readUnsigned());
      List<SeriesPoints> series = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long id = in.readLongBits();
        String tenant = in.readString();
        series.add(new SeriesPoints(id, tenant, payload, -1, PointCodec.decodeFrom(in)));
      }
      return series;
    }
    return decodeLegacy(payload, in);
  }

  /** A record written before schema version 6: every series with its full definition. */
  private static List<SeriesPoints> decodeLegacy(byte[] payload, Bytes.Reader in) {
    int count = Math.toIntExact(in.readUnsigned());
    List<SeriesPoints> series = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long id = in.readLongBits();
      String tenant = in.readString();
      int definitionAt = in.position();
      in.skipString();
      int labelCount = Math.toIntExact(in.readUnsigned());
      for (int l = 0; l < 2 * labelCount; l++) {
        in.skipString();
      }
      in.readByte();
      in.readByte();
      in.skipString();
      in.skipString();
      series.add(new SeriesPoints(id, tenant, payload, definitionAt, PointCodec.decodeFrom(in)));
    }
    return series;
  }
}
