package dev.sextant.storage.clickhouse;

import dev.sextant.model.Attributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code filter_attributes} column: for every key of the record or its resource, the text an
 * attribute-equals search compares ({@link Attributes#filterText}) of the record's own value if it
 * has the key, else of the resource's — the SPI's shadowing rule, decided once at write time so a
 * search is one map lookup. Keys whose value has no text form (lists, maps) are left out, so they
 * never match. The record's own entries come first, in the record's order: with {@code
 * attribute_types} they are the record's attributes ({@link AttributeCodec#types}), stored once.
 */
final class FilterAttributes {
  private FilterAttributes() {}

  static Map<String, String> of(Map<String, Object> attributes, Map<String, Object> resource) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : attributes.entrySet()) {
      put(texts, entry.getKey(), entry.getValue());
    }
    for (Map.Entry<String, Object> entry : resource.entrySet()) {
      if (!attributes.containsKey(entry.getKey())) {
        put(texts, entry.getKey(), entry.getValue());
      }
    }
    return texts;
  }

  private static void put(Map<String, String> texts, String key, Object value) {
    String text = Attributes.filterText(value);
    if (text != null) {
      texts.put(key, text);
    }
  }

  static void write(RowBinaryOutput out, Map<String, String> texts) {
    out.varint(texts.size());
    for (Map.Entry<String, String> entry : texts.entrySet()) {
      out.string(entry.getKey());
      out.string(entry.getValue());
    }
  }

  /** The column as read: key, text, key, text, ... in stored order. */
  static String[] read(RowBinaryInput in) {
    String[] texts = new String[Math.toIntExact(in.varint()) * 2];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = in.string();
    }
    return texts;
  }

  /**
   * The SQL condition for the query's attribute filters, appending one pair of parameters per
   * filter: the key must be present ({@code m[k]} of a missing key is {@code ''}) and its text
   * equal.
   */
  static String condition(Map<String, String> wanted, Map<String, Object> parameters) {
    StringBuilder sql = new StringBuilder();
    int i = 0;
    for (Map.Entry<String, String> filter : wanted.entrySet()) {
      String key = "ak" + i;
      String value = "av" + i;
      parameters.put(key, filter.getKey());
      parameters.put(value, filter.getValue());
      sql.append(" AND mapContains(filter_attributes, {")
          .append(key)
          .append(":String}) AND filter_attributes[{")
          .append(key)
          .append(":String}] = {")
          .append(value)
          .append(":String}");
      i++;
    }
    return sql.toString();
  }
}
