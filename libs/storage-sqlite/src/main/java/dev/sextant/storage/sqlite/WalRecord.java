package dev.sextant.storage.sqlite;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Temporality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One write as one row of the metric write-ahead log: its points, each naming its series by tenant
 * and id, and the full definition of the series the reader cannot know yet (new to this writer, or
 * with changed metadata). About 20 bytes per number point.
 *
 * <p>Format: version; tenants (count, names); definitions (count; tenant index, name, labels, type,
 * temporality, unit, description); points (count; tenant index, series id, {@link PointBytes}).
 */
final class WalRecord {
  private static final int VERSION = 1;
  private static final MetricType[] TYPES = MetricType.values();
  private static final Temporality[] TEMPORALITIES = Temporality.values();

  private WalRecord() {}

  /** A point of a record with its series' tenant and id. */
  record Entry(String tenant, long seriesId, MetricPoint point) {}

  record Decoded(List<MetricSeries> definitions, List<Entry> entries) {}

  /**
   * Encodes the writes; {@code ids[i]} is the id of {@code writes.get(i)}'s series, and the series
   * of writes whose {@code define[i]} is set travel with their definition.
   */
  static byte[] encode(List<MetricWrite> writes, long[] ids, boolean[] define) {
    Map<String, Integer> tenants = new HashMap<>();
    List<String> tenantNames = new ArrayList<>();
    int definitions = 0;
    for (int i = 0; i < writes.size(); i++) {
      String tenant = writes.get(i).series().tenant();
      if (!tenants.containsKey(tenant)) {
        tenants.put(tenant, tenantNames.size());
        tenantNames.add(tenant);
      }
      definitions += define[i] ? 1 : 0;
    }
    ByteOutput out = new ByteOutput(32 + writes.size() * 22 + definitions * 128);
    out.writeByte(VERSION);
    out.writeVarLong(tenantNames.size());
    tenantNames.forEach(out::writeString);
    out.writeVarLong(definitions);
    for (int i = 0; i < writes.size(); i++) {
      if (define[i]) {
        MetricSeries series = writes.get(i).series();
        out.writeVarLong(tenants.get(series.tenant()));
        out.writeString(series.name());
        out.writeVarLong(series.labels().size());
        series
            .labels()
            .asMap()
            .forEach(
                (name, value) -> {
                  out.writeString(name);
                  out.writeString(value);
                });
        out.writeByte(series.type().ordinal());
        out.writeByte(series.temporality().ordinal());
        out.writeString(series.unit());
        out.writeString(series.description());
      }
    }
    out.writeVarLong(writes.size());
    PointBytes points = new PointBytes();
    for (int i = 0; i < writes.size(); i++) {
      MetricWrite write = writes.get(i);
      out.writeVarLong(tenants.get(write.series().tenant()));
      out.writeLong(ids[i]);
      points.write(out, write.point());
    }
    return out.toBytes();
  }

  static Decoded decode(byte[] data) {
    ByteInput in = new ByteInput(data);
    int version = in.readByte();
    if (version != VERSION) {
      throw new IllegalStateException("unknown write-ahead log record version " + version);
    }
    String[] tenants = new String[in.readVarInt()];
    for (int i = 0; i < tenants.length; i++) {
      tenants[i] = in.readString();
    }
    int definitionCount = in.readVarInt();
    List<MetricSeries> definitions = new ArrayList<>(definitionCount);
    for (int i = 0; i < definitionCount; i++) {
      String tenant = tenants[in.readVarInt()];
      String name = in.readString();
      int labelCount = in.readVarInt();
      Map<String, String> labels = new TreeMap<>();
      for (int l = 0; l < labelCount; l++) {
        labels.put(in.readString(), in.readString());
      }
      MetricType type = TYPES[in.readByte()];
      Temporality temporality = TEMPORALITIES[in.readByte()];
      definitions.add(
          new MetricSeries(
              tenant,
              name,
              Labels.of(labels),
              type,
              temporality,
              in.readString(),
              in.readString()));
    }
    int count = in.readVarInt();
    List<Entry> entries = new ArrayList<>(count);
    PointBytes points = new PointBytes();
    for (int i = 0; i < count; i++) {
      String tenant = tenants[in.readVarInt()];
      long id = in.readLong();
      entries.add(new Entry(tenant, id, points.read(in)));
    }
    return new Decoded(definitions, entries);
  }
}
