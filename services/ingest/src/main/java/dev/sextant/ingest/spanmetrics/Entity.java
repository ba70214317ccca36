package dev.sextant.ingest.spanmetrics;

import dev.sextant.model.Span;
import java.util.Map;

/**
 * What a span is about, for the span-derived metrics: an agent, workflow, step, tool or model and
 * its name. Read from Mastra's span type when the span has one, else from the OpenTelemetry GenAI
 * operation.
 */
record Entity(String type, String name) {
  private static final Map<String, String> BY_MASTRA_SPAN_TYPE =
      Map.ofEntries(
          Map.entry("agent_run", "agent"),
          Map.entry("workflow_run", "workflow"),
          Map.entry("workflow_step", "step"),
          Map.entry("tool_call", "tool"),
          Map.entry("mcp_tool_call", "tool"),
          Map.entry("provider_tool_call", "tool"),
          Map.entry("client_tool_call", "tool"),
          Map.entry("model_generation", "model"),
          Map.entry("model_step", "model"),
          Map.entry("model_inference", "model"));

  private static final Map<String, String> BY_GEN_AI_OPERATION =
      Map.ofEntries(
          Map.entry("invoke_agent", "agent"),
          Map.entry("create_agent", "agent"),
          Map.entry("invoke_workflow", "workflow"),
          Map.entry("execute_tool", "tool"),
          Map.entry("chat", "model"),
          Map.entry("text_completion", "model"),
          Map.entry("generate_content", "model"),
          Map.entry("embeddings", "model"));

  /** The span's entity, or null when it is about none of them. */
  static Entity of(Span span) {
    String type = null;
    if (span.attributes().get("mastra.span.type") instanceof String mastra) {
      type = BY_MASTRA_SPAN_TYPE.get(mastra);
    }
    if (type == null && span.attributes().get("gen_ai.operation.name") instanceof String op) {
      type = BY_GEN_AI_OPERATION.get(op);
    }
    if (type == null) {
      return null;
    }
    String name =
        switch (type) {
          case "agent" -> SpanMetrics.text(span, "mastra.entity.name", "gen_ai.agent.name");
          case "tool" -> SpanMetrics.text(span, "gen_ai.tool.name", "mastra.entity.name");
          case "model" -> SpanMetrics.text(span, "gen_ai.request.model", "gen_ai.response.model");
          default -> SpanMetrics.text(span, "mastra.entity.name", "mastra.entity.id");
        };
    return new Entity(type, name);
  }
}
