package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;
import java.util.Locale;
import java.util.Map;

/**
 * A minimum log severity: an OpenTelemetry severity number (1-24) or the name of a range, which
 * stands for its lowest number ({@code warn} = 13, so WARN, WARN2... and above).
 */
public final class SeverityParam {
  public static final int MIN = 1;
  public static final int MAX = 24;
  private static final Map<String, Integer> NAMES =
      Map.of("trace", 1, "debug", 5, "info", 9, "warn", 13, "error", 17, "fatal", 21);

  private SeverityParam() {}

  public static int parse(String name, String value) {
    Integer named = NAMES.get(value.toLowerCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    if (value.matches("[0-9]{1,2}")) {
      return require(name, Integer.parseInt(value));
    }
    throw invalid(name, Echo.of(value));
  }

  public static int require(String name, long number) {
    if (number < MIN || number > MAX) {
      throw invalid(name, Long.toString(number));
    }
    return (int) number;
  }

  private static RejectedRequestException invalid(String name, String shown) {
    return RejectedRequestException.badInput(
        name
            + " must be a severity number 1-24 or one of trace, debug, info, warn, error, fatal,"
            + " got "
            + shown);
  }
}
