package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;

/** Free text parameters (names, substrings): bounded in length, empty meaning "not given". */
public final class TextParam {
  private TextParam() {}

  /** The value, or {@code null} when empty or absent; refuses values over {@code maxLength}. */
  public static String optional(String name, String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return checkLength(name, value, maxLength);
  }

  public static String checkLength(String name, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw RejectedRequestException.badInput(
          name + " is too long: " + value.length() + " characters, at most " + maxLength);
    }
    return value;
  }
}
