package dev.sextant.storage;

import java.util.Map;

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

  private String qualified(String name) {
    return "sextant.storage." + kind + "." + name;
  }
}
