package dev.sextant.ingest.otlp;

import dev.sextant.model.Attributes;
import java.util.List;
import java.util.Map;

/**
 * The text of a label made from an attribute value: scalars as {@link Attributes#filterText} writes
 * them, lists and maps as compact JSON (as the OpenTelemetry Collector's AsString does).
 */
final class LabelText {
  private LabelText() {}

  static String of(Object value) {
    String scalar = Attributes.filterText(value);
    if (scalar != null) {
      return scalar;
    }
    StringBuilder json = new StringBuilder();
    writeJson(value, json);
    return json.toString();
  }

  private static void writeJson(Object value, StringBuilder out) {
    if (value instanceof String s) {
      writeString(s, out);
    } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      writeString(d.toString(), out);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        writeJson(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString((String) entry.getKey(), out);
        out.append(':');
        writeJson(entry.getValue(), out);
      }
      out.append('}');
    } else {
      out.append(value);
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
