package dev.sextant.query.request;

/**
 * Quotes a client's value inside an error message, shortened: errors should name the bad value, but
 * never mirror megabytes of it back.
 */
public final class Echo {
  private static final int MAX_ECHO = 64;

  private Echo() {}

  public static String of(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
    return "'" + shown + "'";
  }
}
