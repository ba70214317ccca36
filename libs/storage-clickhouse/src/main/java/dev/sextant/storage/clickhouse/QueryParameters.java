package dev.sextant.storage.clickhouse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Values of server-side query parameters ({@code {name:Type}}) as ClickHouse parses them: a {@code
 * String} in the escaped (TabSeparated) form, so tabs, newlines, backslashes and NUL survive; an
 * {@code Array} as a literal with quoted, escaped elements. The values travel apart from the query
 * text and are never parsed as SQL; this only makes every value arrive exactly.
 */
final class QueryParameters {
  /**
   * Values travel as HTML form fields, which ClickHouse bounds ({@code http_max_field_value_size},
   * 128 KiB by default): ids are sent this many at a time, at most 105 KB as {@code Array(Int64)}.
   */
  static final int MAX_IDS = 5_000;

  private QueryParameters() {}

  /** The ids in runs of at most {@link #MAX_IDS}, one per statement. */
  static <T> List<List<T>> idBatches(List<T> ids) {
    List<List<T>> batches = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += MAX_IDS) {
      batches.add(ids.subList(from, Math.min(ids.size(), from + MAX_IDS)));
    }
    return batches;
  }

  static Map<String, Object> encode(Map<String, Object> parameters) {
    if (parameters.isEmpty()) {
      return parameters;
    }
    Map<String, Object> encoded = new HashMap<>(parameters.size() * 2);
    parameters.forEach((name, value) -> encoded.put(name, encode(value)));
    return encoded;
  }

  private static String encode(Object value) {
    return switch (value) {
      case String s -> escape(s, false);
      case Number n -> n.toString();
      case Collection<?> elements -> {
        StringBuilder out = new StringBuilder("[");
        for (Object element : elements) {
          if (out.length() > 1) {
            out.append(',');
          }
          out.append(
              element instanceof String s ? "'" + escape(s, true) + "'" : element.toString());
        }
        yield out.append(']').toString();
      }
      default ->
          throw new IllegalArgumentException(
              "no query parameter form for " + value.getClass().getName());
    };
  }

  static String escape(String text, boolean quoted) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\0' -> out.append("\\0");
        case '\'' -> out.append(quoted ? "\\'" : "'");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
