package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Parses a duration the way Go's {@code time.ParseDuration} does ({@code 250ms}, {@code 1.5s},
 * {@code 1h30m}, {@code 100us}, {@code 10ns}), into nanoseconds. Negative durations are refused:
 * every duration here bounds a span's length.
 */
public final class DurationParam {
  private static final Map<String, Long> UNIT_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L, // micro sign
          "\u03bcs", 1_000L, // Greek mu
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);
  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private DurationParam() {}

  public static long parse(String name, String value) {
    String s = value;
    if (s.startsWith("-")) {
      throw RejectedRequestException.badInput(
          name + " must not be negative, got " + Echo.of(value));
    }
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(name, value);
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
      }
      String number = s.substring(numberStart, i);
      if (number.isEmpty() || number.equals(".")) {
        throw invalid(name, value);
      }
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
        i++;
      }
      Long unit = UNIT_NANOS.get(s.substring(unitStart, i));
      if (unit == null) {
        throw invalid(name, value);
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
      if (total.compareTo(MAX) > 0) {
        throw RejectedRequestException.badInput(
            name + " is too long (over 292 years), got " + Echo.of(value));
      }
    }
    return total.setScale(0, RoundingMode.DOWN).longValueExact();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static RejectedRequestException invalid(String name, String value) {
    return RejectedRequestException.badInput(
        name
            + " must be a duration like 250ms, 1.5s, 2m or 1h30m (units ns, us, ms, s, m, h), got "
            + Echo.of(value));
  }
}
