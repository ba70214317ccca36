package dev.sextant.query.prom.api;

import dev.sextant.promql.engine.PromQLException;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of one Prometheus API request, read as Go's {@code r.FormValue} reads them: a form
 * body's values come before the URL's, unknown parameters are ignored (clients add their own, such
 * as cache busters), and an absent parameter reads as empty.
 */
final class PromParams {
  private final MultiMap form;
  private final MultiMap query;

  PromParams(MultiMap form, MultiMap query) {
    this.form = form;
    this.query = query;
  }

  /** The first value, or {@code ""}. */
  String get(String name) {
    String v = form.get(name);
    if (v == null) {
      v = query.get(name);
    }
    return v == null ? "" : v;
  }

  /** Every value, the form's first. */
  List<String> all(String name) {
    List<String> values = new ArrayList<>(form.getAll(name));
    values.addAll(query.getAll(name));
    return values;
  }

  /** An optional time parameter in milliseconds, or {@code defaultMs} when absent. */
  long time(String name, long defaultMs) {
    String value = get(name);
    if (value.isEmpty()) {
      return defaultMs;
    }
    try {
      return PromTime.parseTime(value);
    } catch (IllegalArgumentException e) {
      throw invalid(name, "Invalid time value for '" + name + "': " + e.getMessage());
    }
  }

  /** A required time parameter (query_range's start and end). */
  long requiredTime(String name) {
    try {
      return PromTime.parseTime(get(name));
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  long duration(String name) {
    try {
      return PromTime.parseDuration(get(name));
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  /** Prometheus's wording for a parameter it cannot use: {@code invalid parameter "x": why}. */
  static PromQLException invalid(String name, String why) {
    return new PromQLException(
        PromQLException.Type.BAD_DATA, "invalid parameter \"" + name + "\": " + why);
  }
}
