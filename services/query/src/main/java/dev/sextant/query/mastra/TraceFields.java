package dev.sextant.query.mastra;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The trace-query fields Sextant filters on ({@code POST /traces/query/fields}): the canonical
 * fields that {@link WherePredicates} answers with {@code eq}; no observed metadata fields.
 */
final class TraceFields {
  private TraceFields() {}

  static JsonObject fields() {
    JsonArray canonical = new JsonArray();
    for (String path :
        new String[] {
          "entityType", "entityName", "environment", "status", "threadId", "resourceId"
        }) {
      canonical.add(
          new JsonObject()
              .put("path", path)
              .put("valueKind", "string")
              .put("operators", new JsonArray().add("eq"))
              .put("valueSuggestions", false));
    }
    return new JsonObject()
        .put("canonicalFields", canonical)
        .put("observedFields", new JsonArray())
        .put("observedFieldsTruncated", false);
  }
}
