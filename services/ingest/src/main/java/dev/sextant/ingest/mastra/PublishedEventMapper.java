package dev.sextant.ingest.mastra;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.ingest.otlp.RejectReason;
import dev.sextant.ingest.otlp.Rejections;
import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.Feedback;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logs, metric events, scores and feedback of Mastra's platform exporter into the model. Each
 * method returns null after recording why a record was refused: a missing id, time or required
 * field, an id that is no hex, a value that is no finite number.
 */
final class PublishedEventMapper {
  private PublishedEventMapper() {}

  /** Mastra's levels as OpenTelemetry severity numbers (the first of each range). */
  private static final Map<String, Integer> SEVERITY =
      Map.of("debug", 5, "info", 9, "warn", 13, "error", 17, "fatal", 21);

  static LogRecord log(String tenant, JsonNode r, long now, Rejections rejections) {
    Common c = common(r, "logId", rejections);
    if (c == null) {
      return null;
    }
    String level = JsonValues.text(r, "level", "info");
    Integer severity = SEVERITY.get(level);
    if (severity == null) {
      rejections.reject(RejectReason.INVALID_SEVERITY, "level must be debug|info|warn|error|fatal");
      return null;
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("mastra.log.id", c.id());
    JsonNode data = r.get("data");
    if (data != null && data.isObject()) {
      data.properties()
          .forEach(
              e -> {
                Object value = JsonValues.flat(e.getValue());
                if (value != null) {
                  attributes.put("mastra.log." + e.getKey(), value);
                }
              });
    }
    metadata(r, attributes);
    c.correlation().fields().forEach((k, v) -> attributes.put("mastra.correlation." + k, v));
    if (!c.correlation().tags().isEmpty()) {
      attributes.put("mastra.tags", List.<Object>copyOf(c.correlation().tags()));
    }
    String service = c.correlation().get(Correlation.SERVICE_NAME);
    return new LogRecord(
        tenant,
        c.time(),
        now,
        severity,
        level.toUpperCase(java.util.Locale.ROOT),
        JsonValues.text(r, "message", ""),
        service == null ? "unknown_service" : service,
        "@mastra/observability",
        c.traceId(),
        c.spanId(),
        Map.of("service.name", service == null ? "unknown_service" : service),
        attributes,
        0);
  }

  static MetricEvent metric(String tenant, JsonNode r, Rejections rejections) {
    Common c = common(r, "metricId", rejections);
    if (c == null) {
      return null;
    }
    String name = JsonValues.text(r, "name");
    JsonNode value = r.get("value");
    if (name == null || value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
      rejections.reject(RejectReason.MISSING_VALUE, "a metric needs a name and a finite value");
      return null;
    }
    JsonNode cost = r.path("costContext");
    Cost costContext =
        cost.isObject()
            ? new Cost(
                JsonValues.text(cost, "provider"),
                JsonValues.text(cost, "model"),
                cost.path("estimatedCost").isNumber() ? cost.get("estimatedCost").asDouble() : null,
                JsonValues.text(cost, "costUnit"),
                JsonValues.json(cost.get("costMetadata")))
            : Cost.NONE;
    return new MetricEvent(
        tenant,
        c.id(),
        c.time(),
        name,
        value.asDouble(),
        JsonValues.strings(r.get("labels")),
        c.traceId(),
        c.spanId(),
        c.correlation(),
        costContext,
        JsonValues.json(r.get("metadata")));
  }

  static Score score(String tenant, JsonNode r, Rejections rejections) {
    Common c = common(r, "scoreId", rejections);
    if (c == null) {
      return null;
    }
    String scorerId = JsonValues.text(r, "scorerId");
    JsonNode score = r.get("score");
    if (scorerId == null || score == null || !score.isNumber()) {
      rejections.reject(RejectReason.INVALID_RECORD, "a score needs scorerId and a numeric score");
      return null;
    }
    return new Score(
        tenant,
        c.id(),
        c.time(),
        c.traceId(),
        c.spanId(),
        scorerId,
        JsonValues.text(r, "scorerName"),
        JsonValues.text(r, "scorerVersion"),
        JsonValues.text(r, "scoreSource", JsonValues.text(r, "source")),
        score.asDouble(),
        JsonValues.text(r, "reason"),
        JsonValues.text(r, "scoreTraceId"),
        c.correlation(),
        JsonValues.json(r.get("metadata")));
  }

  static Feedback feedback(String tenant, JsonNode r, Rejections rejections) {
    Common c = common(r, "feedbackId", rejections);
    if (c == null) {
      return null;
    }
    String type = JsonValues.text(r, "feedbackType");
    JsonNode value = r.get("value");
    if (type == null || value == null || !(value.isNumber() || value.isTextual())) {
      rejections.reject(
          RejectReason.INVALID_RECORD, "feedback needs feedbackType and a number or text value");
      return null;
    }
    return new Feedback(
        tenant,
        c.id(),
        c.time(),
        c.traceId(),
        c.spanId(),
        JsonValues.text(r, "feedbackSource", JsonValues.text(r, "source")),
        type,
        value.isNumber() ? value.asDouble() : null,
        value.isTextual() ? value.asText() : null,
        JsonValues.text(r, "comment"),
        JsonValues.text(r, "feedbackUserId", JsonValues.text(r, "userId")),
        JsonValues.text(r, "sourceId"),
        JsonValues.text(r, "reviewStatus"),
        c.correlation(),
        JsonValues.json(r.get("metadata")));
  }

  /** What every event record carries. */
  private record Common(
      String id, long time, String traceId, String spanId, Correlation correlation) {}

  private static Common common(JsonNode r, String idField, Rejections rejections) {
    if (!r.isObject()) {
      rejections.reject(RejectReason.INVALID_RECORD, "a record must be a JSON object");
      return null;
    }
    String id = JsonValues.text(r, idField);
    if (id == null) {
      rejections.reject(RejectReason.MISSING_ID, "missing " + idField);
      return null;
    }
    long time = JsonValues.time(r, "timestamp");
    if (time < 0) {
      rejections.reject(RejectReason.MISSING_TIME, "missing or invalid timestamp");
      return null;
    }
    JsonNode context = r.path("correlationContext");
    String rawTrace = JsonValues.text(r, "traceId", JsonValues.text(context, "traceId"));
    String rawSpan = JsonValues.text(r, "spanId", JsonValues.text(context, "spanId"));
    String traceId = rawTrace == null ? "" : MastraIds.traceId(rawTrace);
    String spanId = rawSpan == null ? "" : MastraIds.spanId(rawSpan);
    if (traceId == null || spanId == null) {
      rejections.reject(RejectReason.INVALID_TRACE_ID, "trace or span id is not hex");
      return null;
    }
    return new Common(id, time, traceId, spanId, correlation(r, context));
  }

  private static Correlation correlation(JsonNode r, JsonNode context) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String key : Correlation.KEYS) {
      String value = JsonValues.text(context, key);
      if (value != null) {
        fields.put(key, value);
      }
    }
    List<String> tags = new ArrayList<>();
    JsonNode tagNode = context.has("tags") ? context.get("tags") : r.get("tags");
    if (tagNode != null && tagNode.isArray()) {
      tagNode.forEach(t -> tags.add(t.asText()));
    }
    return new Correlation(fields, tags);
  }

  private static void metadata(JsonNode r, Map<String, Object> attributes) {
    JsonNode metadata = r.get("metadata");
    if (metadata != null && metadata.isObject()) {
      metadata
          .properties()
          .forEach(
              e -> {
                Object value = JsonValues.flat(e.getValue());
                if (value != null) {
                  attributes.put("mastra.metadata." + e.getKey(), value);
                }
              });
    }
  }
}
