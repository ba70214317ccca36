package dev.sextant.promql.conformance;

import dev.sextant.promql.storage.Series;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes series as OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics}. */
public final class OpenMetrics {
  private OpenMetrics() {}

  /** Families in order of first appearance, type unknown, timestamps in seconds. */
  public static String text(List<Series> series) {
    Map<String, List<Series>> families = new LinkedHashMap<>();
    for (Series s : series) {
      families.computeIfAbsent(s.labels().get("__name__"), n -> new ArrayList<>()).add(s);
    }
    StringBuilder out = new StringBuilder(1 << 20);
    for (Map.Entry<String, List<Series>> f : families.entrySet()) {
      out.append("# TYPE ").append(f.getKey()).append(" unknown\n");
      for (Series s : f.getValue()) {
        String prefix = seriesText(f.getKey(), s);
        for (int i = 0; i < s.size(); i++) {
          out.append(prefix).append(value(s.values()[i])).append(' ');
          out.append(new BigDecimal(s.timestamps()[i]).movePointLeft(3).toPlainString());
          out.append('\n');
        }
      }
    }
    return out.append("# EOF\n").toString();
  }

  private static String seriesText(String name, Series s) {
    StringBuilder labels = new StringBuilder(name).append('{');
    boolean first = true;
    for (Map.Entry<String, String> l : s.labels().asMap().entrySet()) {
      if (l.getKey().equals("__name__")) {
        continue;
      }
      labels.append(first ? "" : ",").append(l.getKey()).append("=\"");
      labels.append(l.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      first = false;
    }
    return labels.append("} ").toString();
  }

  private static String value(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }
}
