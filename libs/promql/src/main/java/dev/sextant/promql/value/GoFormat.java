package dev.sextant.promql.value;

import java.math.BigDecimal;
import java.util.Locale;

/** Go's number and string formatting and parsing, where PromQL results depend on them. */
public final class GoFormat {
  private GoFormat() {}

  /** strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
  public static String formatFloat(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Go's text for NaN, the infinities and the zeros; null for every other value. */
  public static String special(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    return null;
  }

  /** strconv.ParseFloat: decimal or Go's Inf/NaN spellings; null when it does not parse. */
  public static Double parseFloat(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {}
    }
    if (s.isEmpty()) {
      return null;
    }
    char last = s.charAt(s.length() - 1);
    // Java accepts type suffixes (1d, 2f) and hex floats Go spells differently; refuse them.
    if (!(last >= '0' && last <= '9') && last != '.') {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Go's strconv.Quote, which is also how Prometheus prints strings. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                default -> {
                  if (c < 0x20 || c == 0x7f) {
                    out.append(String.format("\\x%02x", c));
                  } else if (Character.isISOControl(c) || !Character.isDefined(c)) {
                    out.append(
                        c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    return out.append('"').toString();
  }
}
