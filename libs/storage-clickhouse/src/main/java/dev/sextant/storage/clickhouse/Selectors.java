package dev.sextant.storage.clickhouse;

import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RowSet;
import java.util.List;
import java.util.Map;

/**
 * Retention selectors (service, environment, entity) in ClickHouse. Spans and logs carry the fields
 * as columns, filled at write time exactly as {@link RetentionSelector} reads them ({@code ''} for
 * absent: a selector never asks for an empty value, so the two cannot be told apart by one); series
 * read them from their labels in SQL. Conditions are SQL text with every value a parameter.
 */
final class Selectors {
  private Selectors() {}

  /** A span's or log record's environment: the first environment key of its resource. */
  static String environment(Map<String, Object> resource) {
    for (String key : RetentionSelector.ENVIRONMENT_KEYS) {
      if (resource.containsKey(key)) {
        return resource.get(key) instanceof String s ? s : "";
      }
    }
    return "";
  }

  /** A string attribute of the record itself, or {@code ''}. */
  static String text(Map<String, Object> attributes, String key) {
    return attributes.get(key) instanceof String s ? s : "";
  }

  /** {@code AND} conditions selecting the set's rows of a span or log table (its tenant too). */
  static String records(RowSet rows, Map<String, Object> parameters) {
    return conditions(rows, parameters, RECORD_COLUMNS);
  }

  /** {@code AND} conditions selecting the set's series of the {@code series} table. */
  static String series(RowSet rows, Map<String, Object> parameters) {
    return conditions(rows, parameters, SERIES_LABELS);
  }

  private static final List<String> RECORD_COLUMNS =
      List.of("service_name", "environment", "entity_type", "entity_name");

  private static final List<String> SERIES_LABELS =
      List.of(
          "labels['" + RetentionSelector.SERVICE_LABEL + "']",
          firstLabel(RetentionSelector.ENVIRONMENT_KEYS),
          firstLabel(RetentionSelector.ENTITY_TYPE_LABELS),
          firstLabel(RetentionSelector.ENTITY_NAME_LABELS));

  /** The value of the first of the labels present ({@code ''} when none is). */
  private static String firstLabel(List<String> keys) {
    StringBuilder sql = new StringBuilder("multiIf(");
    for (String key : keys) {
      sql.append("mapContains(labels, '")
          .append(key)
          .append("'), labels['")
          .append(key)
          .append("'], ");
    }
    return sql.append("'')").toString();
  }

  private static String conditions(
      RowSet rows, Map<String, Object> parameters, List<String> fields) {
    parameters.put("tenant", rows.tenant());
    StringBuilder sql = new StringBuilder(" AND tenant = {tenant:String}");
    String include = selector(rows.include(), "si", parameters, fields);
    if (include != null) {
      sql.append(" AND ").append(include);
    }
    int i = 0;
    for (RetentionSelector excluded : rows.exclude()) {
      String exclude = selector(excluded, "sx" + i++ + "_", parameters, fields);
      // A selector of everything excludes everything.
      sql.append(" AND NOT ").append(exclude == null ? "1" : exclude);
    }
    return sql.toString();
  }

  private static String selector(
      RetentionSelector selector,
      String prefix,
      Map<String, Object> parameters,
      List<String> fields) {
    String[] wanted = {
      selector.service(), selector.environment(), selector.entityType(), selector.entityName()
    };
    StringBuilder sql = new StringBuilder();
    for (int f = 0; f < wanted.length; f++) {
      if (wanted[f] == null) {
        continue;
      }
      String name = prefix + f;
      parameters.put(name, wanted[f]);
      sql.append(sql.isEmpty() ? "(" : " AND ")
          .append(fields.get(f))
          .append(" = {")
          .append(name)
          .append(":String}");
    }
    return sql.isEmpty() ? null : sql.append(')').toString();
  }
}
