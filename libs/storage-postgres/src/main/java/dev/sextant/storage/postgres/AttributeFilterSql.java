package dev.sextant.storage.postgres;

import dev.sextant.storage.json.NulEscape;
import java.util.Map;

/**
 * Attribute-equals filters in SQL with exactly the semantics of {@link
 * dev.sextant.model.Attributes#filterText}: the row's own attribute when it has the key, else its
 * resource's, and the value's text form equal to the wanted text. With {@link PgJson}'s encoding
 * the text of a stored string, integer, plain double or boolean is exactly what {@code #>> '{}'}
 * prints, so one comparison covers them; a double that needed a marker ({@code NaN}, {@code
 * 1.0E20}, {@code -0.0}) is compared with its marker object. Lists and objects never match. Keys
 * and texts are parameters: a hostile key or value is only ever data.
 */
final class AttributeFilterSql {
  private AttributeFilterSql() {}

  static void append(Sql sql, Map<String, String> wanted, String attributes, String resource) {
    for (Map.Entry<String, String> filter : wanted.entrySet()) {
      String key = sql.param(NulEscape.escape(filter.getKey()));
      String text = sql.param(NulEscape.escape(filter.getValue()));
      String marker = null;
      Double asDouble = canonicalDouble(filter.getValue());
      if (asDouble != null && !PgJson.JSON.isNumber(asDouble)) {
        marker = sql.param(PgJson.JSON.doubleMarker(filter.getValue()));
      }
      sql.append(" AND (CASE WHEN ")
          .append(attributes)
          .append(" ? ")
          .append(key)
          .append(" THEN ")
          .append(match(attributes + " -> " + key, text, marker))
          .append(" ELSE coalesce(")
          .append(match(resource + " -> " + key, text, marker))
          .append(", false) END)");
    }
  }

  private static String match(String value, String text, String marker) {
    String scalar =
        "(jsonb_typeof("
            + value
            + ") IN ('string', 'number', 'boolean') AND "
            + value
            + " #>> '{}' = "
            + text
            + ")";
    return marker == null
        ? scalar
        : "(" + scalar + " OR " + value + " = " + marker + "::text::jsonb)";
  }

  /** The double whose {@code Double.toString} is exactly {@code text}, else null. */
  static Double canonicalDouble(String text) {
    if (text.isEmpty() || text.length() > 40) {
      return null;
    }
    try {
      double value = Double.parseDouble(text);
      return Double.toString(value).equals(text) ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
