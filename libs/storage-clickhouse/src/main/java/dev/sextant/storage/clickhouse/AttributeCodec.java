package dev.sextant.storage.clickhouse;

import dev.sextant.model.Attributes;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanLink;
import dev.sextant.storage.StorageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attribute maps, values, events and links as compact typed bytes, stored in {@code String} columns
 * (ClickHouse strings are bytes). Every value keeps its Java type and exact bits: a tag byte, then
 * the value (strings UTF-8 with a LEB128 length, longs and doubles as 8 little-endian bytes, lists
 * and maps with a count). Map order is kept. Binary rather than JSON because JSON numbers cannot
 * carry NaN, the infinities or -0.0, and because it is smaller and faster; nothing in ClickHouse
 * reads these columns — searches use the {@code filter_attributes} map.
 *
 * <p>A record's own attributes are stored once (schema v3): their texts are the first entries of
 * {@code filter_attributes} ({@link FilterAttributes#of}), and {@code attribute_types} ({@link
 * #types}) holds what the texts lack — each attribute's type tag, in order, and whole only the
 * values with no text (lists, maps, a NaN with a payload). Rows written before v3 hold the whole
 * encoding in {@code attributes} and an empty {@code attribute_types}.
 */
final class AttributeCodec {
  private static final int STRING = 0;
  private static final int TRUE = 1;
  private static final int FALSE = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int LIST = 5;
  private static final int MAP = 6;

  /** In {@code attribute_types}: the key and the whole value follow; no text in the map. */
  private static final int WHOLE = 7;

  private static final byte[] EMPTY = new byte[] {0};
  private static final long CANONICAL_NAN = Double.doubleToRawLongBits(Double.NaN);

  private AttributeCodec() {}

  static byte[] attributes(Map<String, Object> attributes) {
    if (attributes.isEmpty()) {
      return EMPTY;
    }
    RowBinaryOutput out = new RowBinaryOutput(64 * attributes.size());
    writeMap(out, attributes);
    return out.toByteArray();
  }

  /**
   * The {@code attribute_types} of a record's attributes: their count, then for each in order the
   * tag of a value whose key and text are the next entry of {@code filter_attributes}, or {@link
   * #WHOLE}, the key and the typed value. Never empty, so a row written before v3 (empty) is told
   * apart.
   */
  static byte[] types(Map<String, Object> attributes) {
    RowBinaryOutput out = new RowBinaryOutput(8 + attributes.size());
    out.varint(attributes.size());
    for (Map.Entry<String, Object> entry : attributes.entrySet()) {
      int tag = textTag(entry.getValue());
      out.uint8(tag);
      if (tag == WHOLE) {
        out.string(entry.getKey());
        writeValue(out, entry.getValue());
      }
    }
    return out.toByteArray();
  }

  /**
   * The tag of a value that {@link FilterAttributes} stores as text and its text gives back
   * exactly, else {@link #WHOLE}. {@code Double.toString} gives back every double bit for bit but a
   * NaN other than the canonical one.
   */
  private static int textTag(Object value) {
    return switch (value) {
      case String s -> STRING;
      case Boolean b -> b ? TRUE : FALSE;
      case Long l -> LONG;
      case Integer i -> LONG;
      case Double d ->
          Double.isNaN(d) && Double.doubleToRawLongBits(d) != CANONICAL_NAN ? WHOLE : DOUBLE;
      default -> WHOLE;
    };
  }

  /**
   * A record's attributes from {@code attribute_types} and the {@code filter_attributes} entries
   * ({@link FilterAttributes#read}: key, text, key, text, ...), or from the whole encoding in
   * {@code attributes} when the row was written before v3.
   */
  static Map<String, Object> readAttributes(byte[] whole, byte[] types, String[] texts) {
    if (types.length == 0) {
      return readAttributes(whole);
    }
    RowBinaryInput in = new RowBinaryInput(types);
    int n = Math.toIntExact(in.varint());
    if (n == 0) {
      return Map.of();
    }
    Map<String, Object> map = new LinkedHashMap<>(n * 2);
    int text = 0;
    for (int i = 0; i < n; i++) {
      int tag = in.uint8();
      if (tag == WHOLE) {
        String key = in.string();
        Object value = readValue(in);
        map.put(key, value);
        if (Attributes.filterText(value) != null) {
          text += 2; // searchable all the same: its text is in the map
        }
        continue;
      }
      if (text + 1 >= texts.length) {
        throw new StorageException(
            StorageException.Code.INTERNAL, "corrupt attribute types: more than the texts");
      }
      map.put(texts[text], fromText(tag, texts[text + 1]));
      text += 2;
    }
    return Collections.unmodifiableMap(map);
  }

  private static Object fromText(int tag, String text) {
    return switch (tag) {
      case STRING -> text;
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case LONG -> Long.parseLong(text);
      case DOUBLE -> Double.parseDouble(text);
      default ->
          throw new StorageException(
              StorageException.Code.INTERNAL, "corrupt attribute types: tag " + tag);
    };
  }

  static byte[] value(Object value) {
    RowBinaryOutput out = new RowBinaryOutput(32);
    writeValue(out, value);
    return out.toByteArray();
  }

  static byte[] events(List<SpanEvent> events) {
    RowBinaryOutput out = new RowBinaryOutput(16 + 64 * events.size());
    out.varint(events.size());
    for (SpanEvent event : events) {
      out.string(event.name());
      out.int64(event.timeUnixNanos());
      writeMap(out, event.attributes());
    }
    return out.toByteArray();
  }

  static byte[] links(List<SpanLink> links) {
    RowBinaryOutput out = new RowBinaryOutput(16 + 64 * links.size());
    out.varint(links.size());
    for (SpanLink link : links) {
      out.string(link.traceId());
      out.string(link.spanId());
      writeMap(out, link.attributes());
    }
    return out.toByteArray();
  }

  private static void writeMap(RowBinaryOutput out, Map<?, ?> map) {
    out.varint(map.size());
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      out.string((String) entry.getKey());
      writeValue(out, entry.getValue());
    }
  }

  private static void writeValue(RowBinaryOutput out, Object value) {
    switch (value) {
      case String s -> {
        out.uint8(STRING);
        out.string(s);
      }
      case Boolean b -> out.uint8(b ? TRUE : FALSE);
      case Long l -> {
        out.uint8(LONG);
        out.int64(l);
      }
      case Integer i -> {
        out.uint8(LONG);
        out.int64(i);
      }
      case Double d -> {
        out.uint8(DOUBLE);
        out.float64(d);
      }
      case List<?> list -> {
        out.uint8(LIST);
        out.varint(list.size());
        for (Object element : list) {
          writeValue(out, element);
        }
      }
      case Map<?, ?> map -> {
        out.uint8(MAP);
        writeMap(out, map);
      }
      default ->
          throw new StorageException(
              StorageException.Code.INVALID_ARGUMENT,
              "not an attribute value: " + value.getClass().getName());
    }
  }

  static Map<String, Object> readAttributes(byte[] bytes) {
    return readMap(new RowBinaryInput(bytes));
  }

  static Object readValue(byte[] bytes) {
    return readValue(new RowBinaryInput(bytes));
  }

  static List<SpanEvent> readEvents(byte[] bytes) {
    RowBinaryInput in = new RowBinaryInput(bytes);
    int n = Math.toIntExact(in.varint());
    List<SpanEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      events.add(new SpanEvent(in.string(), in.int64(), readMap(in)));
    }
    return events;
  }

  static List<SpanLink> readLinks(byte[] bytes) {
    RowBinaryInput in = new RowBinaryInput(bytes);
    int n = Math.toIntExact(in.varint());
    List<SpanLink> links = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      links.add(new SpanLink(in.string(), in.string(), readMap(in)));
    }
    return links;
  }

  private static Map<String, Object> readMap(RowBinaryInput in) {
    int n = Math.toIntExact(in.varint());
    if (n == 0) {
      return Map.of();
    }
    Map<String, Object> map = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      String key = in.string();
      map.put(key, readValue(in));
    }
    return Collections.unmodifiableMap(map);
  }

  private static Object readValue(RowBinaryInput in) {
    int tag = in.uint8();
    return switch (tag) {
      case STRING -> in.string();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case LONG -> in.int64();
      case DOUBLE -> in.float64();
      case LIST -> {
        int n = Math.toIntExact(in.varint());
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(readValue(in));
        }
        yield Collections.unmodifiableList(list);
      }
      case MAP -> readMap(in);
      default ->
          throw new StorageException(
              StorageException.Code.INTERNAL, "corrupt attribute bytes: tag " + tag);
    };
  }
}
