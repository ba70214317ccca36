package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;

/** A result limit: a whole number within 1..max. Too large is an error, never silently cut. */
public final class LimitParam {
  private LimitParam() {}

  public static int parse(String name, String value, int max) {
    if (!value.matches("[0-9]{1,10}")) {
      throw invalid(name, Echo.of(value), max);
    }
    return require(name, Long.parseLong(value), max);
  }

  public static int require(String name, long limit, int max) {
    if (limit < 1 || limit > max) {
      throw invalid(name, Long.toString(limit), max);
    }
    return (int) limit;
  }

  private static RejectedRequestException invalid(String name, String shown, int max) {
    return RejectedRequestException.badInput(
        name + " must be a whole number within 1.." + max + ", got " + shown);
  }
}
