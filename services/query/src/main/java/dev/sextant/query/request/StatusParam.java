package dev.sextant.query.request;

import dev.sextant.model.StatusCode;
import dev.sextant.service.errors.RejectedRequestException;
import java.util.Locale;

/** A span status filter: {@code unset}, {@code ok} or {@code error}, in any case. */
public final class StatusParam {
  private StatusParam() {}

  public static StatusCode parse(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "unset" -> StatusCode.UNSET;
      case "ok" -> StatusCode.OK;
      case "error" -> StatusCode.ERROR;
      default ->
          throw RejectedRequestException.badInput(
              name + " must be one of unset, ok, error; got " + Echo.of(value));
    };
  }
}
