package dev.sextant.query.prom.api;

import dev.sextant.promql.parser.Durations;
import dev.sextant.promql.value.GoFormat;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times and durations as Prometheus's HTTP API reads them, in Unix milliseconds. A time is Unix
 * seconds as a float (rounded to the millisecond the way Prometheus 2.42 does, quirks included),
 * RFC 3339, or one of the two boundary texts clients send for "no bound". A duration is float
 * seconds or a Prometheus duration ({@code 5m}, {@code 1h30m}, {@code 1d}).
 */
final class PromTime {
  /** Go's time.Time range Prometheus uses for "no bound", and its text form. */
  static final long MIN_MS = (Long.MIN_VALUE / 1000 + 62_135_596_801L) * 1000;

  static final long MAX_MS = (Long.MAX_VALUE / 1000 - 62_135_596_801L) * 1000 + 999;
  static final String MIN_TEXT = "-292273086-05-16T16:47:06Z";
  static final String MAX_TEXT = "292277025-08-18T07:12:54.999999999Z";

  private PromTime() {}

  /** Unix milliseconds of {@code text}; an IllegalArgumentException with Prometheus's words. */
  static long parseTime(String text) {
    Double seconds = GoFormat.parseFloat(text);
    if (seconds != null && Double.isFinite(seconds)) {
      // As Prometheus: whole seconds, the fraction rounded to milliseconds (halves away from
      // zero), then to nanoseconds by a float multiplication truncated as Go truncates it.
      double whole = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
      double fraction = goRound((seconds - whole) * 1000) / 1000;
      long nanos = (long) (fraction * 1e9);
      if (Math.abs(whole) < 9e15) {
        return (long) whole * 1000 + Math.floorDiv(nanos, 1_000_000L);
      }
    }
    switch (text) {
      case MIN_TEXT -> {
        return MIN_MS;
      }
      case MAX_TEXT -> {
        return MAX_MS;
      }
      default -> {}
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1000L), t.getNano() / 1_000_000L);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "cannot parse " + GoFormat.quote(text) + " to a valid timestamp");
    }
  }

  /** Milliseconds of {@code text}; an IllegalArgumentException with Prometheus's words. */
  static long parseDuration(String text) {
    Double seconds = GoFormat.parseFloat(text);
    if (seconds != null && !Double.isNaN(seconds)) {
      double nanos = seconds * 1e9;
      if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
        throw new IllegalArgumentException(
            "cannot parse " + GoFormat.quote(text) + " to a valid duration. It overflows int64");
      }
      return Math.floorDiv((long) nanos, 1_000_000L);
    }
    try {
      return Durations.parseMillis(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot parse " + GoFormat.quote(text) + " to a valid duration");
    }
  }

  /** Go's math.Round: halves away from zero. */
  private static double goRound(double x) {
    return Math.copySign(Math.floor(Math.abs(x) + 0.5), x);
  }

  /** Prometheus's JSON timestamp: seconds, and three decimals when not whole. */
  static void appendTimestamp(StringBuilder out, long ms) {
    long t = ms;
    if (t < 0) {
      out.append('-');
      t = -t;
    }
    out.append(t / 1000);
    long fraction = t % 1000;
    if (fraction != 0) {
      out.append('.');
      if (fraction < 100) {
        out.append('0');
      }
      if (fraction < 10) {
        out.append('0');
      }
      out.append(fraction);
    }
  }
}
