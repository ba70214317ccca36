package dev.sextant.promql.parser;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus durations: units in descending order, each at most once ({@code 1y2w3d4h5m6s7ms}); a
 * year is 365 days. Values are milliseconds.
 */
public final class Durations {
  private static final Pattern DURATION =
      Pattern.compile(
          "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?"
              + "(?:([0-9]+)ms)?$");
  private static final long[] UNIT_MS = {
    365L * 24 * 3600 * 1000,
    7L * 24 * 3600 * 1000,
    24L * 3600 * 1000,
    3600 * 1000L,
    60 * 1000L,
    1000L,
    1L
  };
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};

  private Durations() {}

  static boolean isDuration(String text) {
    return !text.isEmpty() && DURATION.matcher(text).matches() && !allDigits(text);
  }

  private static boolean allDigits(String text) {
    return text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** Parses a duration; throws {@link IllegalArgumentException} naming the text otherwise. */
  public static long parseMillis(String text) {
    if (text.equals("0")) {
      return 0;
    }
    Matcher m = DURATION.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
    }
    long total = 0;
    for (int g = 1; g <= UNITS.length; g++) {
      String v = m.group(g);
      if (v == null) {
        continue;
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(v), UNIT_MS[g - 1]));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    return total;
  }

  /**
   * The canonical text: {@code 90m} prints as {@code 1h30m}; years and weeks only when they divide
   * the duration exactly, since {@code 90d} reads better than {@code 12w6d}.
   */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long rest = millis;
    if (rest < 0) {
      out.append('-');
      rest = -rest;
    }
    for (int i = 0; i < UNITS.length; i++) {
      boolean exactOnly = i < 2;
      if (exactOnly && rest % UNIT_MS[i] != 0) {
        continue;
      }
      long v = rest / UNIT_MS[i];
      if (v > 0) {
        out.append(v).append(UNITS[i]);
        rest -= v * UNIT_MS[i];
      }
    }
    return out.toString();
  }
}
