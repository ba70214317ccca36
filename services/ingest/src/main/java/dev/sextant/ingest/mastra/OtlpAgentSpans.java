package dev.sextant.ingest.mastra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.MastraAttributes;
import dev.sextant.model.Span;
import dev.sextant.model.SpanPayload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings spans of {@code @mastra/otel-exporter} (those with {@code mastra.span.type}) to the shape
 * the publish API gives them (ADR 0010): inputs and outputs move from attributes to the payload
 * store, {@code mastra.tags} (JSON text) becomes a list, and the entity the exporter folds into
 * GenAI attributes is named with {@code mastra.entity.*}. Other spans pass unchanged.
 */
public final class OtlpAgentSpans {
  private final PayloadLimit limit;

  public OtlpAgentSpans(int maxPayloadChars) {
    this.limit = new PayloadLimit(maxPayloadChars);
  }

  /** Spans in the stored shape, and the payloads taken out of them. */
  public record Shaped(List<Span> spans, List<SpanPayload> payloads) {}

  public Shaped shape(List<Span> spans) {
    List<Span> shaped = new ArrayList<>(spans.size());
    List<SpanPayload> payloads = new ArrayList<>();
    for (Span span : spans) {
      if (!(span.attributes().get(MastraAttributes.SPAN_TYPE) instanceof String type)) {
        shaped.add(span);
        continue;
      }
      Map<String, Object> attributes = new LinkedHashMap<>(span.attributes());
      String input =
          take(
              attributes,
              "mastra." + type + ".input",
              "gen_ai.tool.call.arguments",
              "gen_ai.input.messages");
      String output =
          take(
              attributes,
              "mastra." + type + ".output",
              "gen_ai.tool.call.result",
              "gen_ai.output.messages");
      if (attributes.get(MastraAttributes.TAGS) instanceof String tags) {
        attributes.put(MastraAttributes.TAGS, tagList(tags));
      }
      nameEntity(type, span.name(), attributes);
      shaped.add(span.withAttributes(attributes));
      SpanPayload payload =
          limit.payload(
              span.tenant(),
              span.traceId(),
              span.spanId(),
              span.startTimeUnixNanos(),
              input,
              output);
      if (payload != null) {
        payloads.add(payload);
      }
    }
    return new Shaped(shaped, payloads);
  }

  /**
   * Removes the first present key and returns its value as JSON text (text that is no JSON becomes
   * a JSON string).
   */
  private static String take(Map<String, Object> attributes, String... keys) {
    for (String key : keys) {
      Object value = attributes.remove(key);
      if (value != null) {
        for (String other : keys) {
          attributes.remove(other);
        }
        return asJson(value);
      }
    }
    return "";
  }

  private static String asJson(Object value) {
    String text = value instanceof String s ? s : String.valueOf(value);
    try {
      return JsonValues.json(JsonValues.MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      try {
        return JsonValues.MAPPER.writeValueAsString(text);
      } catch (JsonProcessingException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  private static List<Object> tagList(String json) {
    try {
      JsonNode node = JsonValues.MAPPER.readTree(json);
      if (node.isArray()) {
        List<Object> tags = new ArrayList<>();
        node.forEach(t -> tags.add(t.asText()));
        return tags;
      }
    } catch (JsonProcessingException e) {
      // not JSON: one tag, as sent
    }
    return List.of(json);
  }

  /** The entity the publish API names explicitly, from what the OTLP exporter keeps of it. */
  private static void nameEntity(String type, String spanName, Map<String, Object> attributes) {
    if (attributes.containsKey(MastraAttributes.ENTITY_TYPE)) {
      return;
    }
    String agentId = MastraAttributes.text(attributes, MastraAttributes.GEN_AI_AGENT_ID);
    String suffix = spanName.contains(" ") ? spanName.substring(spanName.indexOf(' ') + 1) : "";
    if (MastraSpanTypes.isTool(type)) {
      String tool = MastraAttributes.text(attributes, MastraAttributes.GEN_AI_TOOL_NAME);
      entity(attributes, "tool", tool, tool);
    } else if (type.equals("workflow_run")) {
      entity(attributes, "workflow_run", suffix, suffix);
    } else if (type.equals("workflow_step")) {
      String step = MastraAttributes.text(attributes, "mastra.workflow_step.step_id");
      entity(attributes, "workflow_step", step, null);
    } else if (agentId != null) {
      entity(
          attributes,
          "agent",
          agentId,
          MastraAttributes.text(attributes, MastraAttributes.GEN_AI_AGENT_NAME));
    }
  }

  private static void entity(Map<String, Object> attributes, String type, String id, String name) {
    attributes.put(MastraAttributes.ENTITY_TYPE, type);
    if (id != null && !id.isEmpty()) {
      attributes.put(MastraAttributes.ENTITY_ID, id);
    }
    if (name != null && !name.isEmpty()) {
      attributes.put(MastraAttributes.ENTITY_NAME, name);
    }
  }
}
