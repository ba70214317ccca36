package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Trace ids as the model stores them: 32 lowercase hex characters. */
public final class TraceIds {
  private static final Pattern HEX_32 = Pattern.compile("[0-9a-fA-F]{32}");

  private TraceIds() {}

  /** The id in lowercase; upper case is accepted because W3C and OTLP tools print either. */
  public static String require(String name, String value) {
    if (value == null || !HEX_32.matcher(value).matches()) {
      throw RejectedRequestException.badInput(
          name + " must be 32 hex characters, got " + Echo.of(value));
    }
    return value.toLowerCase(Locale.ROOT);
  }
}
