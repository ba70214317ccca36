package dev.sextant.query.mastra;

import dev.sextant.model.MastraAttributes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The part of Mastra's trace-query predicates that root lists answer: conjunctions of {@code eq} on
 * the trace fields entityType, entityName, environment, threadId, resourceId, status and {@code
 * metadata.<key>}. Other predicates are refused (400) rather than ignored, so a list never shows
 * traces a filter should have hidden.
 */
final class WherePredicates {
  private WherePredicates() {}

  /** Collects attribute filters into {@code attributes}; returns the status filter or null. */
  static String collect(JsonObject where, Map<String, String> attributes) {
    if (where == null || where.isEmpty()) {
      return null;
    }
    String op = where.getString("op");
    if ("and".equals(op)) {
      String status = null;
      JsonArray args = where.getJsonArray("args", new JsonArray());
      for (Object arg : args) {
        String s = collect((JsonObject) arg, attributes);
        status = s == null ? status : s;
      }
      return status;
    }
    if ("eq".equals(op)) {
      String path = where.getJsonObject("left", new JsonObject()).getString("path");
      Object literal = where.getJsonObject("right", new JsonObject()).getValue("literal");
      if (path != null && literal != null) {
        String value = String.valueOf(literal);
        switch (path) {
          case "status" -> {
            return value;
          }
          case "entityType" -> attributes.put(MastraAttributes.ENTITY_TYPE, value);
          case "entityName" -> attributes.put(MastraAttributes.ENTITY_NAME, value);
          case "environment", "threadId", "resourceId" ->
              attributes.put(MastraAttributes.METADATA_PREFIX + path, value);
          default -> {
            if (path.startsWith("metadata.")) {
              attributes.put(MastraAttributes.METADATA_PREFIX + path.substring(9), value);
            } else {
              throw new IllegalArgumentException("unsupported trace query field: " + path);
            }
          }
        }
        return null;
      }
    }
    throw new IllegalArgumentException("unsupported trace query predicate: " + op);
  }
}
