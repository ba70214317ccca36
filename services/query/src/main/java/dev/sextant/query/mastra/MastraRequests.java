package dev.sextant.query.mastra;

import dev.sextant.model.Correlation;
import dev.sextant.model.MastraAttributes;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.TimeRange;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mastra's request shapes: JSON bodies of the POST routes, and the GET routes' flat query
 * parameters whose object values are JSON text (reference §5.8). Bad input fails with
 * IllegalArgumentException (400).
 */
final class MastraRequests {
  /** Raw events read for one OLAP request at most; the answer says so when it was reached. */
  static final int MAX_EVENTS = EventQuery.MAX_LIMIT;

  private MastraRequests() {}

  static JsonObject body(RoutingContext rc) {
    try {
      JsonObject body = rc.body() == null ? null : rc.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
  }

  /** The GET parameters as one JSON object (values that are JSON objects or arrays decoded). */
  static JsonObject query(RoutingContext rc) {
    JsonObject params = new JsonObject();
    rc.queryParams()
        .forEach(
            (key, value) -> {
              Object parsed = value;
              if (value.startsWith("{") || value.startsWith("[")) {
                parsed = MastraJson.parse(value);
              }
              params.put(key, parsed);
            });
    return params;
  }

  static long time(String iso) {
    try {
      Instant t = Instant.parse(iso);
      return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("not an ISO-8601 time: " + iso);
    }
  }

  /** A Mastra DateRange ({@code start}, {@code end}, inclusive by default), or ALL. */
  static TimeRange range(Object value) {
    if (!(value instanceof JsonObject r)) {
      return TimeRange.ALL;
    }
    long start = r.getString("start") == null ? 0 : time(r.getString("start"));
    long end = r.getString("end") == null ? Long.MAX_VALUE : time(r.getString("end"));
    if (Boolean.TRUE.equals(r.getBoolean("startExclusive")) && start < Long.MAX_VALUE) {
      start++;
    }
    if (!Boolean.TRUE.equals(r.getBoolean("endExclusive")) && end < Long.MAX_VALUE) {
      end++;
    }
    return new TimeRange(start, Math.max(start, end));
  }

  /** The correlation filters of a CommonFilter, by Mastra's names. */
  static Map<String, String> correlation(JsonObject filters) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (String key : Correlation.KEYS) {
      String name = key.equals(Correlation.SOURCE) ? "executionSource" : key;
      if (filters.getValue(name) instanceof String s && !s.isEmpty()) {
        wanted.put(key, s);
      }
    }
    return wanted;
  }

  static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(v -> out.add(String.valueOf(v)));
    } else if (value instanceof String s && !s.isEmpty()) {
      out.add(s);
    }
    return out;
  }

  /** An event query from Mastra filters, for one kind's names. */
  static EventQuery events(
      String tenant, JsonObject filters, Set<String> names, boolean newestFirst, int limit) {
    Set<String> traceIds = new LinkedHashSet<>(strings(filters.getValue("traceIds")));
    if (filters.getValue("traceId") instanceof String id) {
      traceIds.add(id);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (filters.getValue("labels") instanceof JsonObject l) {
      l.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return new EventQuery(
        tenant,
        range(filters.getValue("timestamp")),
        names,
        traceIds,
        filters.getValue("spanId") instanceof String s ? s : null,
        correlation(filters),
        strings(filters.getValue("tags")),
        labels,
        newestFirst,
        limit);
  }

  /** Root-span attribute filters of a Mastra traces filter. */
  static Map<String, String> rootAttributes(JsonObject filters) {
    Map<String, String> attributes = new LinkedHashMap<>();
    put(attributes, MastraAttributes.SPAN_TYPE, filters.getValue("spanType"));
    put(attributes, MastraAttributes.ENTITY_TYPE, filters.getValue("entityType"));
    put(attributes, MastraAttributes.ENTITY_ID, filters.getValue("entityId"));
    put(attributes, MastraAttributes.ENTITY_NAME, filters.getValue("entityName"));
    for (String key : MastraAttributes.PROMOTED_METADATA) {
      put(attributes, MastraAttributes.METADATA_PREFIX + key, filters.getValue(key));
    }
    return attributes;
  }

  private static void put(Map<String, String> map, String key, Object value) {
    if (value instanceof String s && !s.isEmpty()) {
      map.put(key, s);
    }
  }

  static int integer(Object value, int fallback, int min, int max) {
    int n;
    if (value instanceof Number number) {
      n = number.intValue();
    } else if (value instanceof String s && !s.isEmpty()) {
      try {
        n = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an integer: " + s);
      }
    } else {
      return fallback;
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("must be within " + min + ".." + max + ": " + n);
    }
    return n;
  }
}
