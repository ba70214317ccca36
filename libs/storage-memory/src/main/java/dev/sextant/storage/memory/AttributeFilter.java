package dev.sextant.storage.memory;

import dev.sextant.model.Attributes;
import java.util.Map;

/**
 * Attribute-equals filtering as the SPI defines it: the record's own attribute if it has the key,
 * else the resource's, compared by {@link Attributes#filterText}.
 */
final class AttributeFilter {
  private AttributeFilter() {}

  static boolean matches(
      Map<String, String> wanted, Map<String, Object> attributes, Map<String, Object> resource) {
    for (Map.Entry<String, String> filter : wanted.entrySet()) {
      String key = filter.getKey();
      Object value = attributes.containsKey(key) ? attributes.get(key) : resource.get(key);
      if (!filter.getValue().equals(Attributes.filterText(value))) {
        return false;
      }
    }
    return true;
  }
}
