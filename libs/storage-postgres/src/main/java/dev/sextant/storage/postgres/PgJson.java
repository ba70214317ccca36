package dev.sextant.storage.postgres;

import dev.sextant.storage.json.AttributeJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON PostgreSQL stores in {@code jsonb} (attributes, labels) and {@code json} (events, links,
 * log bodies) columns: {@link AttributeJson} with both its options — strings escaped ({@code jsonb}
 * refuses U+0000) and exponent doubles as markers ({@code numeric} would print 1e20 as an integer),
 * so the text of a stored number is exactly {@link dev.sextant.model.Attributes#filterText}.
 *
 * <p>{@code jsonb} also sorts object keys, so the order of a map's top-level keys is written apart
 * ({@link #keyOrder}) when it has more than one; nested maps read back equal, in {@code jsonb}'s
 * order.
 */
final class PgJson {
  static final AttributeJson JSON = AttributeJson.STANDARD.escapingNul().markingExponentDoubles();

  private PgJson() {}

  /**
   * The top-level keys in order as a JSON array, or null when order cannot matter (fewer than two).
   */
  static String keyOrder(Map<String, Object> attributes) {
    return attributes.size() < 2 ? null : JSON.stringList(attributes.keySet());
  }

  /**
   * A top-level attribute map, in the order {@code keyOrder} gives (a JSON array of its keys), or
   * as stored when it is null.
   */
  static Map<String, Object> readAttributes(String json, String keyOrder) {
    Map<String, Object> stored = JSON.readAttributes(json);
    if (keyOrder == null || stored.isEmpty()) {
      return stored;
    }
    List<String> keys = JSON.readStringList(keyOrder);
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (String key : keys) {
      if (stored.containsKey(key)) {
        ordered.put(key, stored.get(key));
      }
    }
    // Keys the order does not name (never written so) keep their stored order after the rest.
    stored.forEach(ordered::putIfAbsent);
    return ordered;
  }
}
