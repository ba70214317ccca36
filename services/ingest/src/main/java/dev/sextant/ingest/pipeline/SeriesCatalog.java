package dev.sextant.ingest.pipeline;

import dev.sextant.model.SeriesShards;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import java.util.Arrays;

/**
 * The series ingest has seen, each with the ref it goes by on the metric stream (ADR 0015). Looked
 * up while a point is built, when its labels are still in cache, so that the point can be made in
 * its reference form at once: the ref, its times and its value, none of the labels, which were most
 * of the bytes to build, to encode here and to decode and look up in the aggregator. Whether the
 * stream already carries a series' definition is the stream's business ({@link StreamRefs}).
 *
 * <p>A series is recognised by its whole identity (tenant, name, unit, description, type,
 * temporality, labels), never by a hash alone: two series never share a ref. Each remembered series
 * is one compact string of its length-prefixed parts, compared part by part with what is looked up,
 * so a lookup allocates nothing. An open-addressing table; a probe longer than {@link #MAX_PROBES}
 * (only crafted colliding labels get there) finds nothing, and the point goes whole. Bounded: when
 * full it starts over from ref 1. A ref then stands for another series than before; a point made
 * earlier keeps its {@link Series}, which the stream tells apart from the new one. Shared by every
 * request; one lock, held for a lookup.
 */
public final class SeriesCatalog {
  private static final int MAX_PROBES = 32;

  /** The aggregator's largest ref (its SeriesRefs.MAX_REF). */
  static final int MAX_REF = 1 << 20;

  /** A series and its ref; the stream compares series by identity. */
  public static final class Series {
    final String key;
    final int ref;

    /**
     * The aggregator shard of the series' metric, {@code count << 32 | shard}, for the last count
     * asked: the hash behind it is computed once per series and count, not per point. Written
     * whole; racing writers only compute it twice.
     */
    private volatile long shard;

    Series(String key, int ref) {
      this.key = key;
      this.ref = ref;
    }

    /** The ref the series goes by on the stream. */
    public int ref() {
      return ref;
    }

    /**
     * The aggregator shard, of {@code count}, that owns the series' metric ({@link SeriesShards}).
     */
    int shard(int count) {
      long memo = shard;
      if ((int) (memo >>> 32) == count) {
        return (int) memo;
      }
      int[] at = {0};
      String tenant = readText(key, at);
      int owner = SeriesShards.owner(tenant, readText(key, at), count);
      shard = ((long) count << 32) | owner;
      return owner;
    }

    /** The series' name, type and labels as a point without times or value, for the stream. */
    MetricPoint definition() {
      return decode(key).setSeriesRef(ref).build();
    }
  }

  private final int capacity;
  private final int[] hashes;
  // Each slot's key beside its series: a probe compares keys without loading the series first
  // (the table is far bigger than the caches, so every object read on a probe is a cache miss).
  private final String[] keys;
  private final Series[] slots;
  private int size;
  private final StringBuilder key = new StringBuilder(512);

  public SeriesCatalog(int capacity) {
    capacity = Math.clamp(capacity, 0, MAX_REF);
    this.capacity = capacity;
    int length = capacity <= 0 ? 0 : Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;
    this.hashes = new int[length];
    this.keys = new String[length];
    this.slots = new Series[length];
  }

  /**
   * The series of {@code tenant} with this identity, remembered now if new; null when it cannot
   * have a ref (no catalog, no metric name, or a crafted collision), and its points go whole.
   */
  public Series find(String tenant, SeriesIdentity id) {
    if (capacity == 0 || id.name().isEmpty()) {
      return null; // a nameless point would read as a reference; sent whole, it is rejected
    }
    int hash = hash(tenant, id);
    synchronized (this) {
      int mask = slots.length - 1;
      int slot = hash & mask;
      for (int probe = 0; keys[slot] != null; probe++, slot = (slot + 1) & mask) {
        if (hashes[slot] == hash && matches(keys[slot], tenant, id)) {
          return slots[slot];
        }
        if (probe == MAX_PROBES) {
          return null;
        }
      }
      if (size >= capacity) {
        Arrays.fill(keys, null);
        Arrays.fill(slots, null);
        size = 0;
        slot = hash & mask;
      }
      Series series = new Series(keyOf(tenant, id), ++size);
      hashes[slot] = hash;
      keys[slot] = series.key;
      slots[slot] = series;
      return series;
    }
  }

  /** A whole point as the stream takes it: in its reference form when its series has a ref. */
  public StreamPoint point(String tenant, MetricPoint point) {
    Series series = find(tenant, SeriesIdentity.of(point));
    if (series == null) {
      return StreamPoint.whole(point);
    }
    MetricPoint.Builder reference =
        MetricPoint.newBuilder()
            .setSeriesRef(series.ref)
            .setStartTimeUnixNano(point.getStartTimeUnixNano())
            .setTimeUnixNano(point.getTimeUnixNano());
    switch (point.getValueCase()) {
      case NUMBER -> reference.setNumber(point.getNumber());
      case HISTOGRAM -> reference.setHistogram(point.getHistogram());
      case EXPONENTIAL_HISTOGRAM ->
          reference.setExponentialHistogram(point.getExponentialHistogram());
      case SUMMARY -> reference.setSummary(point.getSummary());
      case VALUE_NOT_SET -> {}
    }
    return new StreamPoint(series, reference.build());
  }

  synchronized int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }

  private static int hash(String tenant, SeriesIdentity id) {
    int h = tenant.hashCode();
    h = 31 * h + id.name().hashCode();
    h = 31 * h + id.unit().hashCode();
    h = 31 * h + id.description().hashCode();
    h = 31 * h + id.type();
    h = 31 * h + id.temporality();
    for (int i = 0, n = id.labelCount(); i < n; i++) {
      h = 31 * h + id.labelName(i).hashCode();
      h = 31 * h + id.labelValue(i).hashCode();
    }
    return h ^ (h >>> 16);
  }

  // The key: every part behind its length, numbers as 4 chars below 256 each (a key of Latin-1
  // text stays one byte per char), so no choice of texts can make two series read alike.

  private String keyOf(String tenant, SeriesIdentity id) {
    key.setLength(0);
    text(tenant);
    text(id.name());
    text(id.unit());
    text(id.description());
    number(id.type());
    number(id.temporality());
    for (int i = 0, n = id.labelCount(); i < n; i++) {
      text(id.labelName(i));
      text(id.labelValue(i));
    }
    return key.toString();
  }

  private void text(String text) {
    int n = text.length();
    key.append((char) ((n >>> 16) & 0xff)).append((char) ((n >>> 8) & 0xff));
    key.append((char) (n & 0xff)).append(text);
  }

  private void number(int n) {
    key.append((char) (n >>> 24)).append((char) ((n >>> 16) & 0xff));
    key.append((char) ((n >>> 8) & 0xff)).append((char) (n & 0xff));
  }

  private static boolean matches(String key, String tenant, SeriesIdentity id) {
    int at = text(key, 0, tenant);
    at = text(key, at, id.name());
    at = text(key, at, id.unit());
    at = text(key, at, id.description());
    at = number(key, at, id.type());
    at = number(key, at, id.temporality());
    for (int i = 0, n = id.labelCount(); i < n && at >= 0; i++) {
      at = text(key, at, id.labelName(i));
      at = text(key, at, id.labelValue(i));
    }
    return at == key.length();
  }

  /** Where the key goes on after {@code text} at {@code at}, or -1 when it differs there. */
  private static int text(String key, int at, String text) {
    int n = text.length();
    if (at < 0
        || at + 3 + n > key.length()
        || key.charAt(at) != ((n >>> 16) & 0xff)
        || key.charAt(at + 1) != ((n >>> 8) & 0xff)
        || key.charAt(at + 2) != (n & 0xff)
        || !key.regionMatches(at + 3, text, 0, n)) {
      return -1;
    }
    return at + 3 + n;
  }

  private static int number(String key, int at, int n) {
    if (at < 0
        || at + 4 > key.length()
        || key.charAt(at) != (n >>> 24)
        || key.charAt(at + 1) != ((n >>> 16) & 0xff)
        || key.charAt(at + 2) != ((n >>> 8) & 0xff)
        || key.charAt(at + 3) != (n & 0xff)) {
      return -1;
    }
    return at + 4;
  }

  /** The key read back: the series' parts as a point (the tenant is the batch's). */
  private static MetricPoint.Builder decode(String key) {
    int[] at = {0};
    readText(key, at); // the tenant
    MetricPoint.Builder point =
        MetricPoint.newBuilder()
            .setName(readText(key, at))
            .setUnit(readText(key, at))
            .setDescription(readText(key, at))
            .setTypeValue(readNumber(key, at))
            .setTemporalityValue(readNumber(key, at));
    while (at[0] < key.length()) {
      point.addLabels(Label.newBuilder().setName(readText(key, at)).setValue(readText(key, at)));
    }
    return point;
  }

  private static String readText(String key, int[] at) {
    int i = at[0];
    int n = (key.charAt(i) << 16) | (key.charAt(i + 1) << 8) | key.charAt(i + 2);
    at[0] = i + 3 + n;
    return key.substring(i + 3, i + 3 + n);
  }

  private static int readNumber(String key, int[] at) {
    int i = at[0];
    at[0] = i + 4;
    return (key.charAt(i) << 24)
        | (key.charAt(i + 1) << 16)
        | (key.charAt(i + 2) << 8)
        | key.charAt(i + 3);
  }
}
