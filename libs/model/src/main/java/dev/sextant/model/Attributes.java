package dev.sextant.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for attribute maps. An attribute map is an insertion-ordered, unmodifiable {@code
 * Map<String, Object>} whose values are String, Boolean, Long, Double, or a List or Map of those
 * (OTLP's AnyValue; bytes arrive base64-encoded as strings).
 */
public final class Attributes {
  private Attributes() {}

  /** An unmodifiable copy that keeps insertion order; {@code null} becomes an empty map. */
  public static Map<String, Object> copyOf(Map<String, Object> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /**
   * The text form an attribute-equals filter compares against: strings as they are, booleans as
   * {@code true}/{@code false}, integers in decimal, doubles in Java's shortest form. Lists and
   * maps have no text form for filtering and return {@code null}.
   */
  public static String filterText(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean || value instanceof Long || value instanceof Double) {
      return value.toString();
    }
    if (value instanceof Integer i) {
      return Long.toString(i);
    }
    return null;
  }

  /** True when {@code value} is one of the allowed attribute value types, recursively. */
  public static boolean isValidValue(Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Long) {
      return true;
    }
    if (value instanceof Double) {
      return true;
    }
    if (value instanceof List<?> list) {
      return list.stream().allMatch(Attributes::isValidValue);
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .allMatch(e -> e.getKey() instanceof String && isValidValue(e.getValue()));
    }
    return false;
  }
}
