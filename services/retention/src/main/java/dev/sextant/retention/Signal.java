package dev.sextant.retention;

import java.util.Locale;

/** What retention deletes, each from its own store. */
enum Signal {
  SPANS("spans"),
  LOGS("logs"),
  METRIC_POINTS("metricPoints");

  private final String jsonName;

  Signal(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The field name in JSON answers. */
  String jsonName() {
    return jsonName;
  }

  /** The label value on metrics and the word in logs and errors. */
  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
