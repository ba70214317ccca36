package dev.sextant.storage;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A backend's settings, as configured, with typed accessors that fail with the setting's name. */
public final class StorageSettings {
  private final String kind;
  private final Map<String, String> values;

  public StorageSettings(String kind, Map<String, String> values) {
    this.kind = kind;
    this.values = Map.copyOf(values);
  }

  public String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  public int integer(String name, int defaultValue) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(qualified(name) + " must be an integer, got: " + value);
    }
  }

  /** Fails when a setting is present that the backend does not know: typos do not pass silently. */
  public void requireOnly(Set<String> known) {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown settings for storage '"
              + kind
              + "': "
              + unknown.stream().map(this::qualified).toList()
              + "; known: "
              + new TreeSet<>(known));
    }
  }

  private String qualified(String name) {
    return "sextant.storage." + kind + "." + name;
  }
}
