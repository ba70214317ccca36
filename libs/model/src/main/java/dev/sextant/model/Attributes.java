package dev.sextant.model;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Helpers for attribute maps. An attribute map is an insertion-ordered, unmodifiable {@code
 * Map<String, Object>} whose values are String, Boolean, Long, Double, or a List or Map of those
 * (OTLP's AnyValue; bytes arrive base64-encoded as strings).
 */
public final class Attributes {
  private Attributes() {}

  /**
   * An unmodifiable copy that keeps insertion order; {@code null} becomes an empty map. A map this
   * method returned is returned as it is: the resource attributes of every span of a request are
   * one map, not one copy per span.
   */
  public static Map<String, Object> copyOf(Map<String, Object> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Map.of();
    }
    if (attributes instanceof Frozen) {
      return attributes;
    }
    return new Frozen(new LinkedHashMap<>(attributes));
  }

  /** A private copy behind a read-only view; nobody holds the copy, so it never changes. */
  private static final class Frozen extends AbstractMap<String, Object> {
    private final Map<String, Object> map;
    private final Set<Entry<String, Object>> entries;

    Frozen(LinkedHashMap<String, Object> copy) {
      this.map = copy;
      this.entries = Collections.unmodifiableMap(copy).entrySet();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return entries;
    }

    @Override
    public Object get(Object key) {
      return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return map.containsKey(key);
    }

    @Override
    public int size() {
      return map.size();
    }
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
