package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Attribute equality filters: from REST's repeated {@code attr=key=value}, or a gRPC map. */
public final class AttributeFilters {
  /** More filters than this are refused: each one is a scan condition in the store. */
  public static final int MAX_FILTERS = 32;

  private AttributeFilters() {}

  /**
   * Parses {@code key=value} entries; the value is what follows the first {@code =} and may itself
   * contain {@code =} or be empty.
   */
  public static Map<String, String> parse(String name, List<String> entries) {
    Map<String, String> filters = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw RejectedRequestException.badInput(
            name + " must be key=value with a non-empty key, got " + Echo.of(entry));
      }
      String key = entry.substring(0, eq);
      if (filters.put(key, entry.substring(eq + 1)) != null) {
        throw RejectedRequestException.badInput(
            name + " filters attribute " + Echo.of(key) + " more than once");
      }
    }
    return validate(name, filters);
  }

  /** Checks a ready map (gRPC): count and non-empty keys. */
  public static Map<String, String> validate(String name, Map<String, String> filters) {
    if (filters.size() > MAX_FILTERS) {
      throw RejectedRequestException.badInput(
          "at most " + MAX_FILTERS + " " + name + " filters, got " + filters.size());
    }
    for (String key : filters.keySet()) {
      if (key.isEmpty()) {
        throw RejectedRequestException.badInput(name + " filter keys must not be empty");
      }
    }
    return Map.copyOf(filters);
  }
}
