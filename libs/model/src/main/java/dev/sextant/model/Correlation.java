package dev.sextant.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an event (a metric observation, a score, a feedback) is about, beyond its trace and span:
 * the entity that emitted it, its parent and root entities, the run, thread, resource and user it
 * belongs to, where it ran, and the trace's tags. Keys are Mastra's correlation names (constants
 * below), values non-empty text; absent keys are not applications' business to send empty.
 */
public record Correlation(Map<String, String> fields, List<String> tags) {
  public static final String ENTITY_TYPE = "entityType";
  public static final String ENTITY_ID = "entityId";
  public static final String ENTITY_NAME = "entityName";
  public static final String ENTITY_VERSION_ID = "entityVersionId";
  public static final String PARENT_ENTITY_TYPE = "parentEntityType";
  public static final String PARENT_ENTITY_ID = "parentEntityId";
  public static final String PARENT_ENTITY_NAME = "parentEntityName";
  public static final String ROOT_ENTITY_TYPE = "rootEntityType";
  public static final String ROOT_ENTITY_ID = "rootEntityId";
  public static final String ROOT_ENTITY_NAME = "rootEntityName";
  public static final String USER_ID = "userId";
  public static final String ORGANIZATION_ID = "organizationId";
  public static final String RESOURCE_ID = "resourceId";
  public static final String RUN_ID = "runId";
  public static final String SESSION_ID = "sessionId";
  public static final String THREAD_ID = "threadId";
  public static final String REQUEST_ID = "requestId";
  public static final String ENVIRONMENT = "environment";
  public static final String SOURCE = "source";
  public static final String SERVICE_NAME = "serviceName";
  public static final String EXPERIMENT_ID = "experimentId";

  /** Every key a correlation may carry, in a stable order. */
  public static final List<String> KEYS =
      List.of(
          ENTITY_TYPE,
          ENTITY_ID,
          ENTITY_NAME,
          ENTITY_VERSION_ID,
          PARENT_ENTITY_TYPE,
          PARENT_ENTITY_ID,
          PARENT_ENTITY_NAME,
          ROOT_ENTITY_TYPE,
          ROOT_ENTITY_ID,
          ROOT_ENTITY_NAME,
          USER_ID,
          ORGANIZATION_ID,
          RESOURCE_ID,
          RUN_ID,
          SESSION_ID,
          THREAD_ID,
          REQUEST_ID,
          ENVIRONMENT,
          SOURCE,
          SERVICE_NAME,
          EXPERIMENT_ID);

  public static final Correlation NONE = new Correlation(Map.of(), List.of());

  public Correlation {
    TreeMap<String, String> kept = new TreeMap<>();
    if (fields != null) {
      fields.forEach(
          (key, value) -> {
            if (!KEYS.contains(key)) {
              throw new IllegalArgumentException("unknown correlation key: " + key);
            }
            if (value != null && !value.isEmpty()) {
              kept.put(key, value);
            }
          });
    }
    fields = Map.copyOf(kept);
    tags = tags == null ? List.of() : tags.stream().filter(t -> !t.isEmpty()).distinct().toList();
  }

  /** The value of a key, or null. */
  public String get(String key) {
    return fields.get(key);
  }
}
