package dev.sextant.ingest.mastra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading Mastra's JSON records: texts, numbers, ISO times, and JSON into attribute values. */
final class JsonValues {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonValues() {}

  /** The text at {@code field}, or null when absent, null, empty or not text. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  /** The text, or {@code fallback}. */
  static String text(JsonNode node, String field, String fallback) {
    String value = text(node, field);
    return value == null ? fallback : value;
  }

  /** An ISO-8601 time (as JSON.stringify writes Dates) in Unix nanoseconds, or -1. */
  static long time(JsonNode node, String... fields) {
    for (String field : fields) {
      String text = text(node, field);
      if (text != null) {
        try {
          Instant instant = Instant.parse(text);
          return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        } catch (DateTimeParseException | ArithmeticException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** JSON text of a value (a string becomes a JSON string), or empty for absent or null. */
  static String json(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "";
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree always writes", e);
    }
  }

  /**
   * A JSON value as an attribute value: texts, booleans, integers (Long) and other numbers (Double)
   * as they are, arrays and objects as lists and maps; null for JSON null.
   */
  static Object attribute(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(
          item -> {
            Object converted = attribute(item);
            if (converted != null) {
              list.add(converted);
            }
          });
      return list;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    value
        .properties()
        .forEach(
            e -> {
              Object converted = attribute(e.getValue());
              if (converted != null) {
                map.put(e.getKey(), converted);
              }
            });
    return map;
  }

  /**
   * A value as the OpenTelemetry exporter flattens it into one attribute: scalars as they are,
   * arrays and objects as JSON text.
   */
  static Object flat(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    return value.isContainerNode() ? json(value) : attribute(value);
  }

  /** A string map from a JSON object of scalars; other values as their JSON text. */
  static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    if (object != null && object.isObject()) {
      object
          .properties()
          .forEach(
              e -> {
                JsonNode v = e.getValue();
                if (v != null && !v.isNull()) {
                  map.put(e.getKey(), v.isTextual() ? v.asText() : json(v));
                }
              });
    }
    return map;
  }

  /** {@code camelCase} as {@code camel_case}, as the OTLP exporter names Mastra attributes. */
  static String snake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
