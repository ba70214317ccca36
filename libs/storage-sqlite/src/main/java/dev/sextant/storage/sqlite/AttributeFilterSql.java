package dev.sextant.storage.sqlite;

import dev.sextant.storage.json.AttributeJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQL for attribute-equals filters with exactly the semantics of {@link
 * dev.sextant.model.Attributes#filterText}: the row's own attribute if it has the key, else its
 * resource's, and the value's text form equals the wanted text. SQLite knows the JSON type of each
 * value ({@code json_each.type}), so the text is turned into the typed comparisons that can hold: a
 * string equal to it; {@code true}/{@code false} for those two words; an integer when the text is a
 * long in Java's canonical form; a real when it is a double in Java's canonical form (so {@code
 * "3"} never matches the double 3.0, whose text is {@code "3.0"}); a marker object for NaN, the
 * infinities and -0.0 (see {@link AttributeJson}). {@code json_each} rather than {@code
 * json_extract} because JSON paths cannot name keys that contain a double quote.
 */
final class AttributeFilterSql {
  private AttributeFilterSql() {}

  /**
   * Appends one {@code AND} clause per wanted attribute to {@code sql} and its parameters to {@code
   * parameters}. {@code attributes} and {@code resource} are the JSON columns.
   */
  static void append(
      StringBuilder sql,
      List<Object> parameters,
      Map<String, String> wanted,
      String attributes,
      String resource) {
    for (Map.Entry<String, String> filter : wanted.entrySet()) {
      List<Object> matchParameters = new ArrayList<>();
      String match = match(filter.getValue(), matchParameters);
      sql.append(" AND coalesce((SELECT ")
          .append(match)
          .append(" FROM json_each(")
          .append(attributes)
          .append(") WHERE key = ?), (SELECT ")
          .append(match)
          .append(" FROM json_each(")
          .append(resource)
          .append(") WHERE key = ?), 0)");
      parameters.addAll(matchParameters);
      parameters.add(filter.getKey());
      parameters.addAll(matchParameters);
      parameters.add(filter.getKey());
    }
  }

  /** A boolean expression over json_each's columns; adds its parameters. */
  private static String match(String text, List<Object> parameters) {
    StringBuilder match = new StringBuilder("((type = 'text' AND value = ?)");
    parameters.add(text);
    if (text.equals("true") || text.equals("false")) {
      match.append(" OR type = '").append(text).append('\'');
    }
    Long asLong = canonicalLong(text);
    if (asLong != null) {
      match.append(" OR (type = 'integer' AND value = ?)");
      parameters.add(asLong);
    }
    Double asDouble = canonicalDouble(text);
    if (asDouble != null) {
      if (!AttributeJson.STANDARD.isNumber(asDouble)) {
        match
            .append(" OR (type = 'object' AND json_extract(value, '$.\"")
            .append(AttributeJson.DOUBLE_MARKER)
            .append("\"') = ?)");
        parameters.add(text);
      } else {
        match.append(" OR (type = 'real' AND value = ?)");
        parameters.add(asDouble);
      }
    }
    return match.append(')').toString();
  }

  /** The long whose {@code Long.toString} is exactly {@code text}, else null. */
  static Long canonicalLong(String text) {
    try {
      long value = Long.parseLong(text);
      return Long.toString(value).equals(text) ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
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
