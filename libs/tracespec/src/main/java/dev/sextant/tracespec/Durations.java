package dev.sextant.tracespec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations ({@code 250ms}, {@code 1.5s}, {@code 1h30m}, {@code 100us}, {@code 10ns}). */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  static long parseNanos(String path, String text) {
    String t = text.strip();
    if (t.equals("0")) {
      return 0;
    }
    Matcher m = PART.matcher(t);
    int at = 0;
    double total = 0;
    while (at < t.length() && m.find(at) && m.start() == at) {
      total += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      at = m.end();
    }
    if (at == 0 || at != t.length() || total > Long.MAX_VALUE / 2.0) {
      throw TraceSpecException.invalid(
          path, "expected a duration like 250ms, 1.5s, 2m, 100us, got \"" + text + '"');
    }
    return Math.round(total);
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }

  /** The shortest exact form with one unit: {@code 1500ms}, {@code 2s}, {@code 7ns}. */
  static String format(long nanos) {
    String[] units = {"h", "m", "s", "ms", "us"};
    long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    for (int i = 0; i < units.length; i++) {
      if (nanos != 0 && nanos % sizes[i] == 0) {
        return nanos / sizes[i] + units[i];
      }
    }
    return nanos + "ns";
  }

  /** Readable, rounded: {@code 1.25s}, {@code 340ms}, {@code 12us}. */
  static String human(long nanos) {
    double abs = Math.abs((double) nanos);
    if (abs >= 1e9) {
      return trim(nanos / 1e9) + "s";
    }
    if (abs >= 1e6) {
      return trim(nanos / 1e6) + "ms";
    }
    if (abs >= 1e3) {
      return trim(nanos / 1e3) + "us";
    }
    return nanos + "ns";
  }

  private static String trim(double v) {
    String s = String.format(java.util.Locale.ROOT, "%.2f", v);
    return s.replaceAll("\\.?0+$", "");
  }
}
