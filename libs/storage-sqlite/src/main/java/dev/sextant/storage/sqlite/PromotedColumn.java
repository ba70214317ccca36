package dev.sextant.storage.sqlite;

import dev.sextant.model.MastraAttributes;
import java.util.List;
import java.util.Map;

/**
 * A column of {@code spans} that copies one well-known attribute so that trace lists can filter on
 * it through an index: the span type and entity from their attributes, the rest from the span's
 * metadata ({@code mastra.metadata.<key>}).
 */
enum PromotedColumn {
  SPAN_TYPE("span_type", MastraAttributes.SPAN_TYPE),
  ENTITY_TYPE("entity_type", MastraAttributes.ENTITY_TYPE),
  ENTITY_ID("entity_id", MastraAttributes.ENTITY_ID),
  ENTITY_NAME("entity_name", MastraAttributes.ENTITY_NAME),
  ENVIRONMENT("environment", MastraAttributes.METADATA_PREFIX + "environment"),
  RUN_ID("run_id", MastraAttributes.METADATA_PREFIX + "runId"),
  THREAD_ID("thread_id", MastraAttributes.METADATA_PREFIX + "threadId"),
  OWNER_RESOURCE_ID("owner_resource_id", MastraAttributes.METADATA_PREFIX + "resourceId"),
  USER_ID("user_id", MastraAttributes.METADATA_PREFIX + "userId"),
  SESSION_ID("session_id", MastraAttributes.METADATA_PREFIX + "sessionId");

  static final List<PromotedColumn> ALL = List.of(values());

  final String column;
  final String attribute;

  PromotedColumn(String column, String attribute) {
    this.column = column;
    this.attribute = attribute;
  }

  /** The column's value for a span's attributes: the attribute's text, or null. */
  static String value(PromotedColumn column, Map<String, Object> attributes) {
    return MastraAttributes.text(attributes, column.attribute);
  }

  /** The column that copies an attribute, or null. */
  static PromotedColumn of(String attribute) {
    for (PromotedColumn column : ALL) {
      if (column.attribute.equals(attribute)) {
        return column;
      }
    }
    return null;
  }
}
