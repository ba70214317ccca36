package dev.sextant.query.request;

import dev.sextant.service.errors.RejectedRequestException;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of one REST request, read strictly: an unknown parameter name is an error (a
 * typo such as {@code servce=} would otherwise silently widen a search), a parameter meant once may
 * not repeat, every value is bounded in length, and an empty value means "not given".
 */
public final class HttpParams {
  private final MultiMap params;
  private final int maxLength;

  private HttpParams(MultiMap params, int maxLength) {
    this.params = params;
    this.maxLength = maxLength;
  }

  public static HttpParams of(MultiMap params, Set<String> known, int maxLength) {
    Set<String> unknown = new TreeSet<>(params.names());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      String first = unknown.iterator().next();
      throw RejectedRequestException.badInput(
          "unknown parameter "
              + Echo.of(first)
              + (known.isEmpty()
                  ? "; this endpoint takes no parameters"
                  : "; this endpoint takes: " + String.join(", ", new TreeSet<>(known))));
    }
    return new HttpParams(params, maxLength);
  }

  /** The single value of a parameter, or {@code null} when absent or empty. */
  public String optional(String name) {
    List<String> values = params.getAll(name);
    if (values.size() > 1) {
      throw RejectedRequestException.badInput(
          "parameter " + name + " must be given at most once, got " + values.size());
    }
    return values.isEmpty() ? null : TextParam.optional(name, values.get(0), maxLength);
  }

  /** The value of a parameter that must be given. */
  public String required(String name) {
    String value = optional(name);
    if (value == null) {
      throw RejectedRequestException.badInput("parameter " + name + " is required");
    }
    return value;
  }

  /** Every value of a repeatable parameter, each bounded in length. */
  public List<String> all(String name) {
    List<String> values = params.getAll(name);
    values.forEach(v -> TextParam.checkLength(name, v, maxLength));
    return values;
  }

  public Long time(String name) {
    String value = optional(name);
    return value == null ? null : TimeParam.parse(name, value);
  }

  public Long duration(String name) {
    String value = optional(name);
    return value == null ? null : DurationParam.parse(name, value);
  }

  public int limit(String name, int defaultLimit, int max) {
    String value = optional(name);
    return value == null ? defaultLimit : LimitParam.parse(name, value, max);
  }
}
