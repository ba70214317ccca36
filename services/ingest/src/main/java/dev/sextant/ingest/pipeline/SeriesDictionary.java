package dev.sextant.ingest.pipeline;

import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.Arrays;
import java.util.List;

/**
 * Ingest's half of one stream's series dictionary (ADR 0015): the first point of a series on the
 * stream defines a ref for it; its later points carry the ref, their times and value, and none of
 * the labels, which were most of the bytes to encode here and to decode and look up in the
 * aggregator.
 *
 * <p>A series is recognised by its whole identity (tenant, name, unit, description, type,
 * temporality, labels), never by a hash alone: two series must never share a ref. Each remembered
 * series is one compact string of its length-prefixed parts; a point is compared with it part by
 * part, so looking a point up allocates nothing. An open-addressing table; a probe longer than
 * {@link #MAX_PROBES} (only crafted colliding labels get there) sends the point whole instead.
 * Bounded: when full it starts over from ref 1, and the definitions that follow replace what the
 * aggregator remembered. One per stream (a new stream starts empty, as the aggregator's side does);
 * used in send order, under the pipeline client's lock.
 */
final class SeriesDictionary {
  private static final int MAX_PROBES = 32;

  /** The aggregator's largest ref (its SeriesRefs.MAX_REF). */
  static final int MAX_REF = 1 << 20;

  private final int capacity;
  private final int[] hashes;
  private final String[] keys;
  private final int[] refs;
  private int size;
  private final StringBuilder key = new StringBuilder(512);

  SeriesDictionary(int capacity) {
    capacity = Math.clamp(capacity, 0, MAX_REF);
    this.capacity = capacity;
    int slots = capacity <= 0 ? 0 : Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;
    this.hashes = new int[slots];
    this.keys = new String[slots];
    this.refs = new int[slots];
  }

  /** The batch as it goes on this stream: each point a definition or a reference. */
  WriteRequest encode(WriteRequest batch) {
    if (capacity == 0) {
      return batch;
    }
    WriteRequest.Builder encoded =
        WriteRequest.newBuilder()
            .setBatchId(batch.getBatchId())
            .setTenant(batch.getTenant())
            .setAdditive(batch.getAdditive());
    for (int i = 0; i < batch.getPointsCount(); i++) {
      encoded.addPoints(encode(batch.getTenant(), batch.getPoints(i)));
    }
    return encoded.build();
  }

  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }

  private MetricPoint encode(String tenant, MetricPoint point) {
    if (point.getName().isEmpty()) {
      return point; // a nameless point would read as a reference; sent whole, it is rejected
    }
    int hash = hash(tenant, point);
    int mask = keys.length - 1;
    int slot = hash & mask;
    for (int probe = 0; keys[slot] != null; probe++, slot = (slot + 1) & mask) {
      if (hashes[slot] == hash && matches(keys[slot], tenant, point)) {
        return reference(refs[slot], point);
      }
      if (probe == MAX_PROBES) {
        return point;
      }
    }
    if (size >= capacity) {
      Arrays.fill(keys, null);
      size = 0;
      slot = hash & mask;
    }
    int ref = ++size;
    hashes[slot] = hash;
    keys[slot] = keyOf(tenant, point);
    refs[slot] = ref;
    return point.toBuilder().setSeriesRef(ref).build();
  }

  private static MetricPoint reference(int ref, MetricPoint point) {
    MetricPoint.Builder reference =
        MetricPoint.newBuilder()
            .setSeriesRef(ref)
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
    return reference.build();
  }

  private static int hash(String tenant, MetricPoint point) {
    int h = tenant.hashCode();
    h = 31 * h + point.getName().hashCode();
    h = 31 * h + point.getUnit().hashCode();
    h = 31 * h + point.getDescription().hashCode();
    h = 31 * h + point.getTypeValue();
    h = 31 * h + point.getTemporalityValue();
    for (Label label : point.getLabelsList()) {
      h = 31 * h + label.getName().hashCode();
      h = 31 * h + label.getValue().hashCode();
    }
    return h ^ (h >>> 16);
  }

  // The key: every part behind its length, numbers as 3 or 4 chars below 256 each (a key of
  // Latin-1 text stays one byte per char), so no choice of texts can make two series read alike.

  private String keyOf(String tenant, MetricPoint point) {
    key.setLength(0);
    text(tenant);
    text(point.getName());
    text(point.getUnit());
    text(point.getDescription());
    number(point.getTypeValue());
    number(point.getTemporalityValue());
    for (int i = 0; i < point.getLabelsCount(); i++) {
      Label label = point.getLabels(i);
      text(label.getName());
      text(label.getValue());
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

  private static boolean matches(String key, String tenant, MetricPoint point) {
    int at = text(key, 0, tenant);
    at = text(key, at, point.getName());
    at = text(key, at, point.getUnit());
    at = text(key, at, point.getDescription());
    at = number(key, at, point.getTypeValue());
    at = number(key, at, point.getTemporalityValue());
    List<Label> labels = point.getLabelsList();
    for (int i = 0, n = labels.size(); i < n && at >= 0; i++) {
      Label label = labels.get(i);
      at = text(key, at, label.getName());
      at = text(key, at, label.getValue());
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
}
