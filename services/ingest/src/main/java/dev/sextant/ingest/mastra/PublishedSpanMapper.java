package dev.sextant.ingest.mastra;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.ingest.otlp.RejectReason;
import dev.sextant.ingest.otlp.Rejections;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanPayload;
import dev.sextant.model.StatusCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One span record of Mastra's platform exporter ({@code POST /ai/spans/publish}) into a span with
 * the well-known attributes (ADR 0010) and its payload. The attribute names and values follow what
 * {@code @mastra/otel-exporter} sends for the same span, so a trace reads the same whichever
 * exporter sent it.
 */
final class PublishedSpanMapper {
  /** Mastra attributes the exporter maps to GenAI names; the others become mastra.<type>.<key>. */
  private static final Set<String> MAPPED =
      Set.of("usage", "model", "provider", "responseModel", "finishReason", "costContext");

  private final PayloadLimit limit;

  PublishedSpanMapper(PayloadLimit limit) {
    this.limit = limit;
  }

  /** A mapped span and its payload (null when the span has none). */
  record Mapped(Span span, SpanPayload payload) {}

  /** The span, or null after recording why it was refused. */
  Mapped map(String tenant, JsonNode record, String serviceName, Rejections rejections) {
    if (!record.isObject()) {
      rejections.reject(RejectReason.INVALID_RECORD, "a span record must be a JSON object");
      return null;
    }
    String rawTrace = JsonValues.text(record, "traceId");
    String rawSpan = JsonValues.text(record, "spanId", JsonValues.text(record, "id"));
    if (rawTrace == null || rawSpan == null) {
      rejections.reject(RejectReason.MISSING_ID, "a span needs traceId and spanId (or id)");
      return null;
    }
    String traceId = MastraIds.traceId(rawTrace);
    String spanId = MastraIds.spanId(rawSpan);
    if (traceId == null) {
      rejections.reject(RejectReason.INVALID_TRACE_ID, "trace id is not 1-32 hex characters");
      return null;
    }
    if (spanId == null) {
      rejections.reject(RejectReason.INVALID_SPAN_ID, "span id is not 1-16 hex characters");
      return null;
    }
    String rawParent = JsonValues.text(record, "parentSpanId");
    String parent = rawParent == null ? "" : MastraIds.spanId(rawParent);
    if (parent == null) {
      rejections.reject(RejectReason.INVALID_PARENT_SPAN_ID, "parent span id is not hex");
      return null;
    }
    long start = JsonValues.time(record, "startedAt", "startTime");
    if (start < 0) {
      rejections.reject(RejectReason.MISSING_TIME, "a span needs startedAt (ISO-8601)");
      return null;
    }
    long end = JsonValues.time(record, "endedAt", "endTime");
    boolean running = end < 0;
    if (running) {
      end = start;
    } else if (end < start) {
      rejections.reject(RejectReason.END_BEFORE_START, "endedAt is before startedAt");
      return null;
    }
    // An unknown span type is kept as sent: Mastra adds types, and a reader that does not know one
    // still shows the span.
    String type = JsonValues.text(record, "spanType", JsonValues.text(record, "type", "generic"));
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put(MastraAttributes.SPAN_TYPE, type);
    attributes.put(MastraAttributes.GEN_AI_OPERATION, MastraSpanTypes.operation(type));
    putText(attributes, MastraAttributes.ENTITY_TYPE, JsonValues.text(record, "entityType"));
    putText(attributes, MastraAttributes.ENTITY_ID, JsonValues.text(record, "entityId"));
    putText(attributes, MastraAttributes.ENTITY_NAME, JsonValues.text(record, "entityName"));
    typeAttributes(type, record, attributes);
    JsonNode metadata = record.get("metadata");
    if (metadata != null && metadata.isObject()) {
      metadata
          .properties()
          .forEach(
              e -> {
                Object value = JsonValues.flat(e.getValue());
                if (value != null) {
                  attributes.put(MastraAttributes.METADATA_PREFIX + e.getKey(), value);
                }
              });
    }
    JsonNode tags = record.get("tags");
    if (tags != null && tags.isArray() && !tags.isEmpty()) {
      attributes.put(MastraAttributes.TAGS, JsonValues.attribute(tags));
    }
    JsonNode requestContext = record.get("requestContext");
    if (requestContext != null && requestContext.isObject() && !requestContext.isEmpty()) {
      attributes.put(MastraAttributes.REQUEST_CONTEXT, JsonValues.attribute(requestContext));
    }
    if (record.path("isEvent").asBoolean(false)) {
      attributes.put(MastraAttributes.IS_EVENT, true);
    }
    if (running) {
      attributes.put(MastraAttributes.RUNNING, true);
    }
    JsonNode error =
        record.has("error") && !record.get("error").isNull()
            ? record.get("error")
            : record.get("errorInfo");
    StatusCode status = running ? StatusCode.UNSET : StatusCode.OK;
    String statusMessage = "";
    List<SpanEvent> events = List.of();
    if (error != null && error.isObject()) {
      status = StatusCode.ERROR;
      statusMessage = JsonValues.text(error, "message", "error");
      attributes.put(MastraAttributes.ERROR_TYPE, JsonValues.text(error, "id", "unknown"));
      attributes.put(MastraAttributes.ERROR_MESSAGE, statusMessage);
      putText(attributes, MastraAttributes.ERROR_DOMAIN, JsonValues.text(error, "domain"));
      putText(attributes, MastraAttributes.ERROR_CATEGORY, JsonValues.text(error, "category"));
      Map<String, Object> exception = new LinkedHashMap<>();
      exception.put("exception.message", statusMessage);
      exception.put("exception.type", JsonValues.text(error, "name", "Error"));
      putText(exception, "exception.stacktrace", JsonValues.text(error, "stack"));
      events = List.of(new SpanEvent("exception", end, exception));
    }
    String name = JsonValues.text(record, "name", type);
    Span span =
        new Span(
            tenant,
            traceId,
            spanId,
            parent,
            name,
            MastraSpanTypes.kind(type),
            start,
            end,
            status,
            statusMessage,
            serviceName,
            "@mastra/observability",
            "",
            Map.of("service.name", serviceName),
            attributes,
            events,
            List.of(),
            0);
    SpanPayload payload =
        limit.payload(
            tenant,
            traceId,
            spanId,
            start,
            JsonValues.json(record.get("input")),
            JsonValues.json(record.get("output")));
    return new Mapped(span, payload);
  }

  /** The span type's own attributes, named as the OTLP exporter names them. */
  private static void typeAttributes(String type, JsonNode record, Map<String, Object> out) {
    JsonNode attributes = record.get("attributes");
    if (attributes == null || !attributes.isObject()) {
      return;
    }
    Usage.put(attributes.get("usage"), out);
    putText(out, MastraAttributes.GEN_AI_REQUEST_MODEL, JsonValues.text(attributes, "model"));
    putText(out, MastraAttributes.GEN_AI_PROVIDER, JsonValues.text(attributes, "provider"));
    putText(
        out, MastraAttributes.GEN_AI_RESPONSE_MODEL, JsonValues.text(attributes, "responseModel"));
    String finish = JsonValues.text(attributes, "finishReason");
    if (finish != null) {
      out.put("gen_ai.response.finish_reasons", "[\"" + finish.replace("\"", "\\\"") + "\"]");
    }
    JsonNode cost = attributes.get("costContext");
    if (cost != null && cost.path("estimatedCost").isNumber()) {
      out.put(MastraAttributes.COST_AMOUNT, cost.get("estimatedCost").asDouble());
      out.put(MastraAttributes.COST_UNIT, JsonValues.text(cost, "costUnit", "USD"));
      out.put(MastraAttributes.COST_SOURCE, "client");
    }
    String entityType = JsonValues.text(record, "entityType");
    if ("agent".equals(entityType)) {
      putText(out, MastraAttributes.GEN_AI_AGENT_ID, JsonValues.text(record, "entityId"));
      putText(out, MastraAttributes.GEN_AI_AGENT_NAME, JsonValues.text(record, "entityName"));
    }
    if (MastraSpanTypes.isTool(type)) {
      putText(out, MastraAttributes.GEN_AI_TOOL_NAME, JsonValues.text(record, "entityName"));
      putText(out, "gen_ai.tool.call.id", JsonValues.text(attributes, "toolCallId"));
      putText(out, "gen_ai.tool.description", JsonValues.text(attributes, "toolDescription"));
      putText(out, "gen_ai.tool.type", JsonValues.text(attributes, "toolType"));
    }
    attributes
        .properties()
        .forEach(
            e -> {
              if (!MAPPED.contains(e.getKey())) {
                Object value = JsonValues.flat(e.getValue());
                if (value != null) {
                  out.putIfAbsent("mastra." + type + "." + JsonValues.snake(e.getKey()), value);
                }
              }
            });
  }

  private static void putText(Map<String, Object> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
