package dev.sextant.query.prom.api;

import dev.sextant.model.Labels;
import dev.sextant.promql.engine.QueryResult;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's JSON answers, written directly: sample values as strings in Go's float format
 * ({@code "1.5"}, {@code "NaN"}, {@code "+Inf"}, {@code "1e-07"}), timestamps as seconds with up to
 * three decimals, {@code [time, "value"]} pairs, the {@code status}/{@code data} envelope.
 */
final class PromJson {
  private PromJson() {}

  static String success(QueryResult result) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"status\":\"success\",\"data\":{\"resultType\":\"");
    switch (result) {
      case QueryResult.Scalar s -> {
        out.append("scalar\",\"result\":");
        point(out, s.timestampMs(), s.value());
      }
      case QueryResult.Str s -> {
        out.append("string\",\"result\":[");
        PromTime.appendTimestamp(out, s.timestampMs());
        out.append(',');
        string(out, s.value());
        out.append(']');
      }
      case QueryResult.Vector v -> {
        out.append("vector\",\"result\":[");
        boolean first = true;
        for (QueryResult.Sample s : v.samples()) {
          out.append(first ? "{\"metric\":" : ",{\"metric\":");
          first = false;
          labels(out, s.labels());
          out.append(",\"value\":");
          point(out, s.timestampMs(), s.value());
          out.append('}');
        }
        out.append(']');
      }
      case QueryResult.Matrix m -> {
        out.append("matrix\",\"result\":[");
        boolean first = true;
        for (QueryResult.SeriesPoints s : m.series()) {
          out.append(first ? "{\"metric\":" : ",{\"metric\":");
          first = false;
          labels(out, s.labels());
          out.append(",\"values\":[");
          for (int i = 0; i < s.timestampsMs().length; i++) {
            if (i > 0) {
              out.append(',');
            }
            point(out, s.timestampsMs()[i], s.values()[i]);
          }
          out.append("]}");
        }
        out.append(']');
      }
    }
    return out.append("}}").toString();
  }

  /** {@code {"status":"success","data":[...strings]}}. */
  static String strings(Collection<String> values) {
    StringBuilder out = new StringBuilder(64 + values.size() * 16);
    out.append("{\"status\":\"success\",\"data\":[");
    boolean first = true;
    for (String v : values) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, v);
    }
    return out.append("]}").toString();
  }

  /** {@code {"status":"success","data":[{label sets}]}}. */
  static String labelSets(List<Labels> sets) {
    StringBuilder out = new StringBuilder(64 + sets.size() * 64);
    out.append("{\"status\":\"success\",\"data\":[");
    for (int i = 0; i < sets.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      labels(out, sets.get(i));
    }
    return out.append("]}").toString();
  }

  /** One metric family's metadata entry. */
  record Metadata(String type, String help, String unit) {}

  static String metadata(Map<String, List<Metadata>> byName) {
    StringBuilder out = new StringBuilder(64 + byName.size() * 64);
    out.append("{\"status\":\"success\",\"data\":{");
    boolean first = true;
    for (Map.Entry<String, List<Metadata>> e : byName.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, e.getKey());
      out.append(":[");
      for (int i = 0; i < e.getValue().size(); i++) {
        Metadata m = e.getValue().get(i);
        out.append(i > 0 ? ",{\"type\":" : "{\"type\":");
        string(out, m.type());
        out.append(",\"help\":");
        string(out, m.help());
        out.append(",\"unit\":");
        string(out, m.unit());
        out.append('}');
      }
      out.append(']');
    }
    return out.append("}}").toString();
  }

  /** A success whose data is already JSON. */
  static String raw(String dataJson) {
    return "{\"status\":\"success\",\"data\":" + dataJson + "}";
  }

  static String error(String errorType, String message) {
    StringBuilder out = new StringBuilder(64 + message.length());
    out.append("{\"status\":\"error\",\"errorType\":");
    string(out, errorType);
    out.append(",\"error\":");
    string(out, message);
    return out.append('}').toString();
  }

  private static void point(StringBuilder out, long ms, double value) {
    out.append('[');
    PromTime.appendTimestamp(out, ms);
    out.append(",\"");
    appendFloat(out, value);
    out.append("\"]");
  }

  private static void labels(StringBuilder out, Labels labels) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, String> l : labels.asMap().entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, l.getKey());
      out.append(':');
      string(out, l.getValue());
    }
    out.append('}');
  }

  /**
   * Go's strconv.FormatFloat(v, 'f', -1, 64), or 'e' for magnitudes below 1e-6 or from 1e21 on, as
   * Prometheus's JSON writer chooses.
   */
  static void appendFloat(StringBuilder out, double v) {
    if (Double.isNaN(v)) {
      out.append("NaN");
      return;
    }
    if (Double.isInfinite(v)) {
      out.append(v > 0 ? "+Inf" : "-Inf");
      return;
    }
    if (v == 0) {
      out.append(1 / v < 0 ? "-0" : "0");
      return;
    }
    double abs = Math.abs(v);
    // Java's Double.toString gives the shortest digits that read back to v, as Go's -1 does.
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    if (abs >= 1e-6 && abs < 1e21) {
      out.append(d.toPlainString());
      return;
    }
    String digits = d.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - d.scale();
    if (v < 0) {
      out.append('-');
    }
    out.append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    out.append(exponent < 0 ? "e-" : "e+");
    int e = Math.abs(exponent);
    if (e < 10) {
      out.append('0');
    }
    out.append(e);
  }

  /** A JSON string, escaped as Go's encoder does (control characters, quotes, HTML-safe). */
  static void string(StringBuilder out, String s) {
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
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
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
