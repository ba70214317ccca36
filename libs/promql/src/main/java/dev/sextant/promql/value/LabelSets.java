package dev.sextant.promql.value;

import dev.sextant.model.Labels;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Label-set operations the engine and the functions share. */
public final class LabelSets {
  public static final String METRIC_NAME = "__name__";

  /** Prometheus's label order: label by label, name then value; a prefix sorts first. */
  public static final Comparator<Labels> ORDER = LabelSets::compare;

  private LabelSets() {}

  public static Labels withoutName(Labels labels) {
    if (!labels.asMap().containsKey(METRIC_NAME)) {
      return labels;
    }
    TreeMap<String, String> m = new TreeMap<>(labels.asMap());
    m.remove(METRIC_NAME);
    return Labels.of(m);
  }

  /** A copy with {@code name} set, or removed when {@code value} is empty (as Prometheus). */
  public static Labels with(Labels labels, String name, String value) {
    TreeMap<String, String> m = new TreeMap<>(labels.asMap());
    if (value.isEmpty()) {
      m.remove(name);
    } else {
      m.put(name, value);
    }
    return Labels.of(m);
  }

  public static int compare(Labels a, Labels b) {
    Iterator<Map.Entry<String, String>> ia = a.asMap().entrySet().iterator();
    Iterator<Map.Entry<String, String>> ib = b.asMap().entrySet().iterator();
    while (ia.hasNext() && ib.hasNext()) {
      Map.Entry<String, String> ea = ia.next();
      Map.Entry<String, String> eb = ib.next();
      int c = ea.getKey().compareTo(eb.getKey());
      if (c != 0) {
        return c;
      }
      c = ea.getValue().compareTo(eb.getValue());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(ia.hasNext(), ib.hasNext());
  }

  /** Prometheus's text form: {@code {__name__="up", job="api"}}. */
  public static String format(Labels labels) {
    StringBuilder s = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : labels.asMap().entrySet()) {
      if (!first) {
        s.append(", ");
      }
      first = false;
      s.append(e.getKey()).append('=').append(GoFormat.quote(e.getValue()));
    }
    return s.append('}').toString();
  }

  /** Whether {@code s} is a valid label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}). */
  public static boolean isValidName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == '_'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
