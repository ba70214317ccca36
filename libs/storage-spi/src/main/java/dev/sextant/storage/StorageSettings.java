package dev.sextant.storage;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

  /**
   * The setting as a duration, if it is set: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h},
   * {@code 1d}, an ISO-8601 duration ({@code PT2S}), or a bare number of seconds (as Quarkus reads
   * durations); anything else fails.
   */
  public Optional<Duration> duration(String name) {
    String value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("p")) {
        return Optional.of(Duration.parse(v.toUpperCase(Locale.ROOT)));
      }
      if (v.endsWith("ms")) {
        return Optional.of(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
      }
      long amount = Long.parseLong(v.replaceAll("[smhd]$", ""));
      return Optional.of(
          switch (v.charAt(v.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
          });
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          qualified(name) + " must be a duration such as 2s, 500ms or PT2S, got: " + value);
    }
  }

  private String qualified(String name) {
    return "sextant.storage." + kind + "." + name;
  }
}
