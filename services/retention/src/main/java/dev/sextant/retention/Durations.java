package dev.sextant.retention;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the API takes them: {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s} or ISO-8601.
 */
final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

  private Durations() {}

  static Duration parse(String text, String field) {
    String value = text.strip();
    Matcher shortForm = SHORT.matcher(value);
    if (shortForm.matches()) {
      long n = Long.parseLong(shortForm.group(1));
      return switch (shortForm.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiProblem.badData(
          field + " must be a duration like 7d, 12h, 30m or P7D, got '" + text + "'");
    }
  }
}
