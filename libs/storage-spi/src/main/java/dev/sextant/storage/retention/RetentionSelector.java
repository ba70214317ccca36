package dev.sextant.storage.retention;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.Span;
import java.util.List;
import java.util.Map;

/**
 * Narrows a policy to part of a tenant's data: a service, an environment, an agent-framework entity
 * (type and/or name). A null field matches anything; {@link #ANY} matches every row. Each field is
 * read from a record as follows, and every backend must read it exactly so (the in-memory backend
 * uses these methods; the conformance suite checks the others):
 *
 * <ul>
 *   <li><b>service</b>: a span's or log record's {@code serviceName}; a metric series' label
 *       {@value #SERVICE_LABEL} (a promoted resource attribute).
 *   <li><b>environment</b>: the resource attribute {@value #ENVIRONMENT} of a span or log record,
 *       else {@value #ENVIRONMENT_LEGACY} (the older semantic-convention name); for a series the
 *       label of the same names, in the same order. Only a string value matches.
 *   <li><b>entity</b>: the span's or log record's own attribute {@value #ENTITY_TYPE} / {@value
 *       #ENTITY_NAME} (string values); for a series the first present of the labels {@code
 *       entity.type}, {@code entity_type}, {@value #ENTITY_TYPE} (name alike).
 *   <li>A span payload: its span's fields, where that span (same tenant, ids and start) is stored;
 *       none where it is not (only an unnarrowed set takes it then).
 *   <li>A Mastra metric event: its labels, read as a metric series' labels.
 * </ul>
 *
 * @param service null: any
 * @param environment null: any
 * @param entityType null: any
 * @param entityName null: any
 */
public record RetentionSelector(
    String service, String environment, String entityType, String entityName) {

  public static final RetentionSelector ANY = new RetentionSelector(null, null, null, null);

  public static final String SERVICE_LABEL = "service.name";
  public static final String ENVIRONMENT = "deployment.environment.name";
  public static final String ENVIRONMENT_LEGACY = "deployment.environment";
  public static final String ENTITY_TYPE = "mastra.entity.type";
  public static final String ENTITY_NAME = "mastra.entity.name";

  /** The resource attributes (and series labels) an environment is read from, in order. */
  public static final List<String> ENVIRONMENT_KEYS = List.of(ENVIRONMENT, ENVIRONMENT_LEGACY);

  /** The series labels an entity type is read from, in order. */
  public static final List<String> ENTITY_TYPE_LABELS =
      List.of("entity.type", "entity_type", ENTITY_TYPE);

  /** The series labels an entity name is read from, in order. */
  public static final List<String> ENTITY_NAME_LABELS =
      List.of("entity.name", "entity_name", ENTITY_NAME);

  public RetentionSelector {
    service = blankToNull(service);
    environment = blankToNull(environment);
    entityType = blankToNull(entityType);
    entityName = blankToNull(entityName);
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  public boolean isAny() {
    return service == null && environment == null && entityType == null && entityName == null;
  }

  /** How many fields are set: a more specific selector wins over a less specific one. */
  public int specificity() {
    int n = 0;
    n += service == null ? 0 : 1;
    n += environment == null ? 0 : 1;
    n += entityType == null ? 0 : 1;
    n += entityName == null ? 0 : 1;
    return n;
  }

  public boolean matches(Span span) {
    return matches(
        span.serviceName(),
        firstString(span.resourceAttributes(), ENVIRONMENT_KEYS),
        string(span.attributes().get(ENTITY_TYPE)),
        string(span.attributes().get(ENTITY_NAME)));
  }

  public boolean matches(LogRecord record) {
    return matches(
        record.serviceName(),
        firstString(record.resourceAttributes(), ENVIRONMENT_KEYS),
        string(record.attributes().get(ENTITY_TYPE)),
        string(record.attributes().get(ENTITY_NAME)));
  }

  public boolean matches(MetricSeries series) {
    Map<String, String> labels = series.labels().asMap();
    return matches(
        labels.get(SERVICE_LABEL),
        firstLabel(labels, ENVIRONMENT_KEYS),
        firstLabel(labels, ENTITY_TYPE_LABELS),
        firstLabel(labels, ENTITY_NAME_LABELS));
  }

  /** Whether a row whose fields read these values (null: absent) is selected. */
  public boolean matches(
      String rowService, String rowEnvironment, String rowEntityType, String rowEntityName) {
    return (service == null || service.equals(rowService))
        && (environment == null || environment.equals(rowEnvironment))
        && (entityType == null || entityType.equals(rowEntityType))
        && (entityName == null || entityName.equals(rowEntityName));
  }

  private static String firstString(Map<String, Object> attributes, List<String> keys) {
    for (String key : keys) {
      if (attributes.containsKey(key)) {
        return string(attributes.get(key));
      }
    }
    return null;
  }

  private static String firstLabel(Map<String, String> labels, List<String> keys) {
    for (String key : keys) {
      String value = labels.get(key);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String string(Object value) {
    return value instanceof String s ? s : null;
  }

  @Override
  public String toString() {
    if (isAny()) {
      return "{}";
    }
    StringBuilder text = new StringBuilder("{");
    append(text, "service", service);
    append(text, "environment", environment);
    append(text, "entityType", entityType);
    append(text, "entityName", entityName);
    return text.append('}').toString();
  }

  private static void append(StringBuilder text, String name, String value) {
    if (value != null) {
      text.append(text.length() > 1 ? ", " : "").append(name).append('=').append(value);
    }
  }
}
