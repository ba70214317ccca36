package dev.sextant.query.prom.names;

/**
 * OpenTelemetry attribute names as Prometheus 3's OTLP receiver makes label names of them: every
 * character outside {@code [a-zA-Z0-9]} becomes {@code _}, runs of {@code _} shrink to one (a
 * reserved {@code __x__} name keeps its double underscores), and a name starting with a digit gets
 * {@code key_} in front.
 */
public final class LabelNames {
  private LabelNames() {}

  public static String of(String attribute) {
    if (attribute.isEmpty()) {
      return attribute;
    }
    boolean reserved =
        attribute.length() >= 4 && attribute.startsWith("__") && attribute.endsWith("__");
    String inner = reserved ? attribute.substring(2, attribute.length() - 2) : attribute;
    StringBuilder out = new StringBuilder(inner.length() + 4);
    boolean underscore = false;
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        out.append(c);
        underscore = false;
      } else if (!underscore) {
        out.append('_');
        underscore = true;
      }
    }
    String name = reserved ? "__" + out + "__" : out.toString();
    return Character.isDigit(name.charAt(0)) ? "key_" + name : name;
  }
}
