package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a point in time as Prometheus' HTTP API accepts it: RFC 3339 ({@code
 * 2024-05-01T12:00:00.5Z}, any offset) or Unix seconds with up to nine decimals ({@code
 * 1714564800.5}), into Unix nanoseconds. Exact: seconds are never routed through a double.
 */
public final class TimeParam {
  private static final Pattern UNIX_SECONDS = Pattern.compile("([0-9]{1,12})(?:\\.([0-9]{1,9}))?");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private TimeParam() {}

  /** Unix nanoseconds of {@code value}; {@code name} names the parameter in errors. */
  public static long parse(String name, String value) {
    Matcher unix = UNIX_SECONDS.matcher(value);
    if (unix.matches()) {
      String fraction = unix.group(2) == null ? "" : unix.group(2);
      long nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
      return toNanos(name, value, Long.parseLong(unix.group(1)), nanos);
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw RejectedRequestException.badInput(
          name
              + " must be an RFC 3339 time (2024-05-01T12:00:00Z) or Unix seconds"
              + " (1714564800.5), got "
              + Echo.of(value));
    }
    return toNanos(name, value, instant.getEpochSecond(), instant.getNano());
  }

  private static long toNanos(String name, String value, long seconds, long nanos) {
    if (seconds < 0) {
      throw RejectedRequestException.badInput(
          name + " must not be before 1970-01-01T00:00:00Z, got " + Echo.of(value));
    }
    try {
      return Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), nanos);
    } catch (ArithmeticException e) {
      throw RejectedRequestException.badInput(
          name + " is too far in the future (after 2262-04-11), got " + Echo.of(value));
    }
  }
}
