package dev.sextant.ingest.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns OTLP attributes and AnyValues into model values (String, Boolean, Long, Double, List, Map;
 * bytes become base64 strings) under the limits, counting every cut. One reader serves one request.
 */
final class AttributeReader {
  private final LimitSettings limits;
  private final Truncations truncations;

  AttributeReader(LimitSettings limits, Truncations truncations) {
    this.limits = limits;
    this.truncations = truncations;
  }

  Truncations truncations() {
    return truncations;
  }

  RecordBudget newRecord() {
    return new RecordBudget(limits.maxRecordBytes());
  }

  /** Where {@link #read(List, RecordBudget, Sink)} puts the attributes it keeps. */
  interface Sink {
    boolean contains(String key);

    int size();

    void put(String key, Object value);
  }

  /**
   * The first {@code max-attributes-per-record} attributes that fit in the record's budget; the
   * others count as dropped.
   */
  ConvertedAttributes read(List<KeyValue> attributes, RecordBudget budget) {
    if (attributes.isEmpty()) {
      return new ConvertedAttributes(Map.of(), 0);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    int dropped =
        read(
            attributes,
            budget,
            new Sink() {
              @Override
              public boolean contains(String key) {
                return values.containsKey(key);
              }

              @Override
              public int size() {
                return values.size();
              }

              @Override
              public void put(String key, Object value) {
                values.put(key, value);
              }
            });
    return new ConvertedAttributes(values, dropped);
  }

  /** As {@link #read(List, RecordBudget)}, into {@code sink}; returns how many were dropped. */
  int read(List<KeyValue> attributes, RecordBudget budget, Sink sink) {
    int dropped = 0;
    for (int i = 0, n = attributes.size(); i < n; i++) {
      TruncationReason cut = add(sink, attributes.get(i), budget);
      if (cut != null) {
        truncations.add(cut);
        dropped++;
      }
    }
    return dropped;
  }

  /** Adds one attribute; returns why it was dropped, or null when kept. */
  private TruncationReason add(Sink values, KeyValue attribute, RecordBudget budget) {
    if (values.contains(attribute.getKey())) {
      return TruncationReason.DUPLICATE_ATTRIBUTE;
    }
    if (values.size() >= limits.maxAttributes()) {
      return TruncationReason.ATTRIBUTE_COUNT;
    }
    Object value = value(attribute.getValue());
    if (value == null) {
      return TruncationReason.EMPTY_ATTRIBUTE_VALUE;
    }
    if (!budget.tryTake(Utf8.length(attribute.getKey()) + sizeOf(value))) {
      return TruncationReason.RECORD_ATTRIBUTE_BYTES;
    }
    values.put(attribute.getKey(), value);
    return null;
  }

  /** The model value of an AnyValue, strings cut to the value limit; null when it holds none. */
  Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE ->
          cut(
              value.getStringValue(),
              limits.maxValueBytes(),
              TruncationReason.ATTRIBUTE_VALUE_LENGTH);
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case BYTES_VALUE -> base64(value.getBytesValue().toByteArray());
      case ARRAY_VALUE -> list(value.getArrayValue().getValuesList());
      case KVLIST_VALUE -> map(value.getKvlistValue().getValuesList());
      case VALUE_NOT_SET -> null;
    };
  }

  /** A log body: like an attribute value, but strings are cut to {@code max-log-body-bytes}. */
  Object body(AnyValue body) {
    if (body.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
      return cut(body.getStringValue(), limits.maxLogBodyBytes(), TruncationReason.LOG_BODY_LENGTH);
    }
    return value(body);
  }

  /** A name (span name) cut to the value limit. */
  String name(String name) {
    return cut(name, limits.maxValueBytes(), TruncationReason.NAME_LENGTH);
  }

  /** A label value or description cut to the value limit. */
  String text(String text) {
    return cut(text, limits.maxValueBytes(), TruncationReason.ATTRIBUTE_VALUE_LENGTH);
  }

  private List<Object> list(List<AnyValue> elements) {
    List<Object> list = new ArrayList<>(elements.size());
    for (AnyValue element : elements) {
      Object value = value(element);
      if (value == null) {
        truncations.add(TruncationReason.EMPTY_ATTRIBUTE_VALUE);
      } else {
        list.add(value);
      }
    }
    return list;
  }

  private Map<String, Object> map(List<KeyValue> entries) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue entry : entries) {
      Object value = value(entry.getValue());
      if (value == null) {
        truncations.add(TruncationReason.EMPTY_ATTRIBUTE_VALUE);
      } else if (map.putIfAbsent(entry.getKey(), value) != null) {
        truncations.add(TruncationReason.DUPLICATE_ATTRIBUTE);
      }
    }
    return map;
  }

  private String base64(byte[] bytes) {
    // base64 takes 4 characters per 3 bytes: cut the bytes so the text fits the value limit.
    long maxBytes = (long) limits.maxValueBytes() / 4 * 3;
    if (bytes.length > maxBytes) {
      truncations.add(TruncationReason.ATTRIBUTE_VALUE_LENGTH);
      bytes = java.util.Arrays.copyOf(bytes, (int) maxBytes);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private String cut(String s, int maxBytes, TruncationReason reason) {
    String cut = Utf8.truncate(s, maxBytes);
    if (cut.length() != s.length()) {
      truncations.add(reason);
    }
    return cut;
  }

  /** The bytes a value takes against the record budget: UTF-8 for text, 8 for numbers. */
  static long sizeOf(Object value) {
    if (value instanceof String s) {
      return Utf8.length(s);
    }
    if (value instanceof Boolean) {
      return 1;
    }
    if (value instanceof List<?> list) {
      long size = 0;
      for (Object element : list) {
        size += sizeOf(element);
      }
      return size;
    }
    if (value instanceof Map<?, ?> map) {
      long size = 0;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size += Utf8.length((String) entry.getKey()) + sizeOf(entry.getValue());
      }
      return size;
    }
    return 8;
  }
}
