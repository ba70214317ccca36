package dev.sextant.storage;

import java.util.Map;
import java.util.OptionalInt;

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

  /** The setting as an integer, if it is set; a value that is not an integer fails. */
  public OptionalInt integer(String name) {
    String value = values.get(name);
    if (value == null) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(qualified(name) + " must be an integer, got: " + value);
    }
  }

  private String qualified(String name) {
    return "sextant.storage." + kind + "." + name;
  }
}
