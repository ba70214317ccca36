package dev.sextant.storage.postgres;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement assembled from fixed SQL fragments and numbered parameters: every value, whatever a
 * client sent, goes in as a parameter ({@link #param}), never into the SQL text.
 */
final class Sql {
  private final StringBuilder text = new StringBuilder();
  private final List<Object> parameters = new ArrayList<>();

  Sql append(String fragment) {
    text.append(fragment);
    return this;
  }

  /** Adds a parameter and returns its placeholder ({@code $n}). */
  String param(Object value) {
    parameters.add(value);
    return "$" + parameters.size();
  }

  String text() {
    return text.toString();
  }

  Tuple tuple() {
    return Tuple.from(parameters);
  }
}
