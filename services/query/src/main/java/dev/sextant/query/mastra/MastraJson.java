package dev.sextant.query.mastra;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.Correlation;
import dev.sextant.model.Feedback;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import dev.sextant.model.StatusCode;
import dev.sextant.storage.query.RootQuery;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The model in the JSON shapes of Mastra's observability storage records (reference §5.6). */
final class MastraJson {
  private MastraJson() {}

  static String iso(long unixNanos) {
    return Instant.ofEpochSecond(0, unixNanos).toString();
  }

  /** A span as Mastra's {@code SpanRecord} plus the computed {@code status}. */
  static JsonObject span(Span s, SpanPayload payload) {
    Map<String, Object> a = s.attributes();
    JsonObject span =
        new JsonObject()
            .put("traceId", s.traceId())
            .put("spanId", s.spanId())
            .put("parentSpanId", s.isRoot() ? null : s.parentSpanId())
            .put("name", s.name())
            .put("spanType", text(a, MastraAttributes.SPAN_TYPE, "generic"))
            .put("isEvent", Boolean.TRUE.equals(a.get(MastraAttributes.IS_EVENT)))
            .put("startedAt", iso(s.startTimeUnixNanos()))
            .put("endedAt", MastraAttributes.isRunning(a) ? null : iso(s.endTimeUnixNanos()))
            .put("entityType", MastraAttributes.text(a, MastraAttributes.ENTITY_TYPE))
            .put("entityId", MastraAttributes.text(a, MastraAttributes.ENTITY_ID))
            .put("entityName", MastraAttributes.text(a, MastraAttributes.ENTITY_NAME))
            .put("serviceName", s.serviceName())
            .put("scope", null)
            .put("links", null)
            .put("createdAt", iso(s.startTimeUnixNanos()))
            .put("updatedAt", null)
            .put("status", RootQuery.status(s));
    for (String key : MastraAttributes.PROMOTED_METADATA) {
      span.put(key, MastraAttributes.metadata(a, key));
    }
    JsonObject metadata = new JsonObject();
    JsonObject attributes = new JsonObject();
    JsonObject usage = new JsonObject();
    JsonObject inputDetails = new JsonObject();
    JsonObject outputDetails = new JsonObject();
    String typePrefix = "mastra." + span.getString("spanType") + ".";
    a.forEach(
        (key, value) -> {
          if (key.startsWith(MastraAttributes.METADATA_PREFIX)) {
            metadata.put(key.substring(MastraAttributes.METADATA_PREFIX.length()), value);
          } else if (key.startsWith(typePrefix)) {
            attributes.put(camel(key.substring(typePrefix.length())), value);
          }
        });
    putNumber(usage, "inputTokens", a.get(MastraAttributes.USAGE_INPUT));
    putNumber(usage, "outputTokens", a.get(MastraAttributes.USAGE_OUTPUT));
    putNumber(inputDetails, "cacheRead", a.get(MastraAttributes.USAGE_CACHE_READ));
    putNumber(inputDetails, "cacheWrite", a.get(MastraAttributes.USAGE_CACHE_WRITE));
    putNumber(inputDetails, "audio", a.get(MastraAttributes.USAGE_AUDIO_INPUT));
    putNumber(outputDetails, "reasoning", a.get(MastraAttributes.USAGE_REASONING));
    putNumber(outputDetails, "audio", a.get(MastraAttributes.USAGE_AUDIO_OUTPUT));
    if (!inputDetails.isEmpty()) {
      usage.put("inputDetails", inputDetails);
    }
    if (!outputDetails.isEmpty()) {
      usage.put("outputDetails", outputDetails);
    }
    if (!usage.isEmpty()) {
      attributes.put("usage", usage);
    }
    attributes.put("model", MastraAttributes.text(a, MastraAttributes.GEN_AI_REQUEST_MODEL));
    attributes.put("provider", MastraAttributes.text(a, MastraAttributes.GEN_AI_PROVIDER));
    if (a.get(MastraAttributes.COST_AMOUNT) instanceof Number cost) {
      attributes.put(
          "costContext",
          new JsonObject()
              .put("estimatedCost", cost.doubleValue())
              .put("costUnit", MastraAttributes.text(a, MastraAttributes.COST_UNIT))
              .put(
                  "costMetadata",
                  new JsonObject()
                      .put("source", MastraAttributes.text(a, MastraAttributes.COST_SOURCE))
                      .put("pricing", MastraAttributes.text(a, MastraAttributes.COST_PRICING))));
    }
    span.put("attributes", attributes.fieldNames().isEmpty() ? null : withoutNulls(attributes));
    span.put("metadata", metadata.isEmpty() ? null : metadata);
    List<String> tags = MastraAttributes.tags(a);
    span.put("tags", tags.isEmpty() ? null : new JsonArray(tags));
    Object requestContext = a.get(MastraAttributes.REQUEST_CONTEXT);
    span.put(
        "requestContext",
        requestContext instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : null);
    span.put("input", payload == null ? null : parse(payload.input()));
    span.put("output", payload == null ? null : parse(payload.output()));
    span.put("error", s.statusCode() == StatusCode.ERROR ? error(s) : null);
    return span;
  }

  private static JsonObject error(Span s) {
    Map<String, Object> a = s.attributes();
    return withoutNulls(
        new JsonObject()
            .put("message", s.statusMessage())
            .put("id", MastraAttributes.text(a, MastraAttributes.ERROR_TYPE))
            .put("domain", MastraAttributes.text(a, MastraAttributes.ERROR_DOMAIN))
            .put("category", MastraAttributes.text(a, MastraAttributes.ERROR_CATEGORY)));
  }

  /** A root span as a row of Mastra's trace query ({@code TraceQueryResponse.traces}). */
  static JsonObject traceRow(Span root, SpanPayload payload) {
    Map<String, Object> a = root.attributes();
    JsonObject metadata = new JsonObject();
    a.forEach(
        (k, v) -> {
          if (k.startsWith(MastraAttributes.METADATA_PREFIX)) {
            metadata.put(k.substring(MastraAttributes.METADATA_PREFIX.length()), v);
          }
        });
    String status = RootQuery.status(root);
    return new JsonObject()
        .put("traceId", root.traceId())
        .put("rootSpanId", root.spanId())
        .put("name", root.name())
        .put("spanType", text(a, MastraAttributes.SPAN_TYPE, "generic"))
        .put("entityId", MastraAttributes.text(a, MastraAttributes.ENTITY_ID))
        .put("entityName", MastraAttributes.text(a, MastraAttributes.ENTITY_NAME))
        .put("entityType", MastraAttributes.text(a, MastraAttributes.ENTITY_TYPE))
        .put("parentSpanId", null)
        .put("createdAt", iso(root.startTimeUnixNanos()))
        .put("metadata", metadata.isEmpty() ? null : metadata)
        .put("inputPreview", preview(payload))
        .put("threadId", MastraAttributes.metadata(a, "threadId"))
        .put("resourceId", MastraAttributes.metadata(a, "resourceId"))
        .put("environment", MastraAttributes.metadata(a, "environment"))
        .put("serviceName", root.serviceName())
        .put("startedAt", iso(root.startTimeUnixNanos()))
        .put("endedAt", MastraAttributes.isRunning(a) ? null : iso(root.endTimeUnixNanos()))
        .put("status", status.equals("running") ? "success" : status);
  }

  private static String preview(SpanPayload payload) {
    if (payload == null || payload.input().isEmpty()) {
      return null;
    }
    Object input = parse(payload.input());
    String text = input instanceof String s ? s : payload.input();
    return text.length() <= 100 ? text : text.substring(0, 100);
  }

  static JsonObject log(LogRecord r) {
    Map<String, Object> a = r.attributes();
    JsonObject data = new JsonObject();
    JsonObject metadata = new JsonObject();
    JsonObject log =
        new JsonObject()
            .put("logId", MastraAttributes.text(a, "mastra.log.id"))
            .put("timestamp", iso(r.timeUnixNanos()))
            .put("level", level(r.severityNumber()))
            .put("message", r.bodyText())
            .put("traceId", r.traceId().isEmpty() ? null : r.traceId())
            .put("spanId", r.spanId().isEmpty() ? null : r.spanId())
            .put("serviceName", r.serviceName());
    a.forEach(
        (k, v) -> {
          if (k.startsWith("mastra.correlation.")) {
            log.put(k.substring("mastra.correlation.".length()), v);
          } else if (k.startsWith("mastra.metadata.")) {
            metadata.put(k.substring("mastra.metadata.".length()), v);
          } else if (k.startsWith("mastra.log.") && !k.equals("mastra.log.id")) {
            data.put(k.substring("mastra.log.".length()), v);
          }
        });
    log.put("data", data.isEmpty() ? null : data);
    log.put("metadata", metadata.isEmpty() ? null : metadata);
    Object tags = a.get(MastraAttributes.TAGS);
    log.put("tags", tags instanceof List<?> list ? new JsonArray(list) : null);
    return log;
  }

  /** OpenTelemetry severity numbers as Mastra's levels. */
  static String level(int severity) {
    if (severity <= 8) {
      return "debug";
    } else if (severity <= 12) {
      return "info";
    } else if (severity <= 16) {
      return "warn";
    } else if (severity <= 20) {
      return "error";
    }
    return "fatal";
  }

  private static JsonObject common(CorrelatedEvent e) {
    JsonObject json =
        new JsonObject()
            .put("timestamp", iso(e.timeUnixNanos()))
            .put("traceId", e.traceId().isEmpty() ? null : e.traceId())
            .put("spanId", e.spanId().isEmpty() ? null : e.spanId());
    for (String key : Correlation.KEYS) {
      json.put(key.equals(Correlation.SOURCE) ? "executionSource" : key, e.correlation().get(key));
    }
    json.put(
        "tags", e.correlation().tags().isEmpty() ? null : new JsonArray(e.correlation().tags()));
    return json;
  }

  static JsonObject metric(MetricEvent e) {
    return common(e)
        .put("metricId", e.id())
        .put("name", e.name())
        .put("value", e.value())
        .put("labels", new JsonObject(castMap(e.labels())))
        .put("provider", blankToNull(e.cost().provider()))
        .put("model", blankToNull(e.cost().model()))
        .put("estimatedCost", e.cost().estimatedCost())
        .put("costUnit", blankToNull(e.cost().unit()))
        .put("costMetadata", parse(e.cost().metadataJson()))
        .put("metadata", parse(e.metadata()));
  }

  static JsonObject score(Score e) {
    return common(e)
        .put("scoreId", e.id())
        .put("scorerId", e.scorerId())
        .put("scorerName", blankToNull(e.scorerName()))
        .put("scorerVersion", blankToNull(e.scorerVersion()))
        .put("scoreSource", blankToNull(e.scoreSource()))
        .put("score", e.score())
        .put("reason", blankToNull(e.reason()))
        .put("scoreTraceId", blankToNull(e.scoreTraceId()))
        .put("metadata", parse(e.metadata()));
  }

  static JsonObject feedback(Feedback e) {
    return common(e)
        .put("feedbackId", e.id())
        .put("feedbackSource", blankToNull(e.feedbackSource()))
        .put("feedbackType", e.feedbackType())
        .put("value", e.numberValue() != null ? e.numberValue() : e.textValue())
        .put("comment", blankToNull(e.comment()))
        .put("feedbackUserId", blankToNull(e.feedbackUserId()))
        .put("sourceId", blankToNull(e.sourceId()))
        .put("reviewStatus", e.reviewStatus())
        .put("metadata", parse(e.metadata()));
  }

  /** JSON text as a JSON value; empty text is null; text that is no JSON stays text. */
  static Object parse(String json) {
    if (json == null || json.isEmpty()) {
      return null;
    }
    try {
      Object value = Json.decodeValue(json);
      return value;
    } catch (DecodeException e) {
      return json;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String text(Map<String, Object> a, String key, String fallback) {
    String value = MastraAttributes.text(a, key);
    return value == null ? fallback : value;
  }

  private static void putNumber(JsonObject o, String key, Object value) {
    if (value instanceof Number n) {
      o.put(key, n.longValue());
    }
  }

  private static JsonObject withoutNulls(JsonObject o) {
    JsonObject copy = new JsonObject();
    o.forEach(
        e -> {
          if (e.getValue() != null) {
            copy.put(e.getKey(), e.getValue());
          }
        });
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}
