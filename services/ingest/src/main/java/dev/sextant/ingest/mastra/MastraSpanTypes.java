package dev.sextant.ingest.mastra;

import dev.sextant.model.SpanKind;

/** What Mastra's span types mean for the OpenTelemetry shape (operation name, span kind). */
final class MastraSpanTypes {
  private MastraSpanTypes() {}

  /** {@code gen_ai.operation.name} as the OTLP exporter sets it. */
  static String operation(String type) {
    return switch (type) {
      case "model_inference" -> "chat";
      case "model_step" -> "agent_step";
      case "rag_embedding" -> "embeddings";
      case "tool_call", "mcp_tool_call", "provider_tool_call" -> "execute_tool";
      case "agent_run" -> "invoke_agent";
      case "workflow_run" -> "invoke_workflow";
      default -> type;
    };
  }

  /**
   * The span kind as the OTLP exporter sets it: CLIENT for the model call (model_inference in the
   * Mastra versions read, see ADR 0010), embeddings and MCP tool calls; SERVER for MCP requests.
   */
  static SpanKind kind(String type) {
    return switch (type) {
      case "model_inference", "rag_embedding", "mcp_tool_call" -> SpanKind.CLIENT;
      case "mcp_server_request" -> SpanKind.SERVER;
      default -> SpanKind.INTERNAL;
    };
  }

  static boolean isTool(String type) {
    return switch (type) {
      case "tool_call", "mcp_tool_call", "provider_tool_call", "client_tool_call" -> true;
      default -> false;
    };
  }
}
