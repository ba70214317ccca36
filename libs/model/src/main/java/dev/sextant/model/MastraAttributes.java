package dev.sextant.model;

import java.util.List;
import java.util.Map;

/**
 * The well-known span attributes that carry agent-framework semantics on a plain {@link Span}. The
 * names are the ones Mastra's OpenTelemetry exporter ({@code @mastra/otel-exporter}) sends, so a
 * span that arrived over OTLP and one that arrived over Mastra's publish API look the same once
 * stored. Where that exporter has no name (entity, running state, cost), Sextant picked one in the
 * same style. See ADR 0010.
 */
public final class MastraAttributes {
  private MastraAttributes() {}

  /** Mastra's span type ({@code agent_run}, {@code model_generation}, ...). */
  public static final String SPAN_TYPE = "mastra.span.type";

  /** The entity the span is about: type ({@code agent}, {@code tool}, ...), id and name. */
  public static final String ENTITY_TYPE = "mastra.entity.type";

  public static final String ENTITY_ID = "mastra.entity.id";
  public static final String ENTITY_NAME = "mastra.entity.name";

  /**
   * Tags of a root span, as a list of strings (the OTLP exporter sends a JSON array as text; ingest
   * turns it into the list).
   */
  public static final String TAGS = "mastra.tags";

  /** Prefix of the span's metadata entries ({@code mastra.metadata.threadId}, ...). */
  public static final String METADATA_PREFIX = "mastra.metadata.";

  /** The request context snapshot, as a map. */
  public static final String REQUEST_CONTEXT = "mastra.request_context";

  /** True for Mastra's point-in-time event spans. */
  public static final String IS_EVENT = "mastra.span.is_event";

  /**
   * True while a span has not ended: it was written at its start and its end record has not come. A
   * running span never replaces a stored span that has ended (SpanStore's rule).
   */
  public static final String RUNNING = "sextant.span.running";

  /** OpenTelemetry GenAI and error attributes that the exporter uses too. */
  public static final String GEN_AI_OPERATION = "gen_ai.operation.name";

  public static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
  public static final String GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
  public static final String GEN_AI_PROVIDER = "gen_ai.provider.name";
  public static final String GEN_AI_AGENT_ID = "gen_ai.agent.id";
  public static final String GEN_AI_AGENT_NAME = "gen_ai.agent.name";
  public static final String GEN_AI_TOOL_NAME = "gen_ai.tool.name";
  public static final String ERROR_TYPE = "error.type";
  public static final String ERROR_MESSAGE = "error.message";
  public static final String ERROR_DOMAIN = "error.domain";
  public static final String ERROR_CATEGORY = "error.category";

  /** Token usage by type, OpenTelemetry GenAI names. */
  public static final String USAGE_INPUT = "gen_ai.usage.input_tokens";

  public static final String USAGE_OUTPUT = "gen_ai.usage.output_tokens";
  public static final String USAGE_CACHE_READ = "gen_ai.usage.cache_read.input_tokens";
  public static final String USAGE_CACHE_WRITE = "gen_ai.usage.cache_creation.input_tokens";
  public static final String USAGE_CACHE_WRITE_5M = "gen_ai.usage.cache_creation.5m_input_tokens";
  public static final String USAGE_CACHE_WRITE_1H = "gen_ai.usage.cache_creation.1h_input_tokens";
  public static final String USAGE_REASONING = "gen_ai.usage.reasoning_tokens";
  public static final String USAGE_AUDIO_INPUT = "gen_ai.usage.audio_input_tokens";
  public static final String USAGE_AUDIO_OUTPUT = "gen_ai.usage.audio_output_tokens";

  /** Every usage attribute. */
  public static final List<String> USAGE =
      List.of(
          USAGE_INPUT,
          USAGE_OUTPUT,
          USAGE_CACHE_READ,
          USAGE_CACHE_WRITE,
          USAGE_CACHE_WRITE_5M,
          USAGE_CACHE_WRITE_1H,
          USAGE_REASONING,
          USAGE_AUDIO_INPUT,
          USAGE_AUDIO_OUTPUT);

  /** The estimated cost of a model span, its unit, and where it came from. */
  public static final String COST_AMOUNT = "sextant.cost.amount";

  public static final String COST_UNIT = "sextant.cost.unit";

  /** {@code client} (sent by the application) or {@code price_table} (estimated by Sextant). */
  public static final String COST_SOURCE = "sextant.cost.source";

  /** The price table row and version that priced the span. */
  public static final String COST_PRICING = "sextant.cost.pricing";

  /** The metadata keys that Mastra promotes to first-class fields of a trace. */
  public static final List<String> PROMOTED_METADATA =
      List.of(
          "runId",
          "threadId",
          "resourceId",
          "userId",
          "sessionId",
          "organizationId",
          "requestId",
          "environment",
          "experimentId");

  /** The span's tags; empty when it has none. */
  public static java.util.List<String> tags(Map<String, Object> attributes) {
    if (attributes.get(TAGS) instanceof java.util.List<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return java.util.List.of();
  }

  /** Whether the span was written at its start and has not ended yet. */
  public static boolean isRunning(Map<String, Object> attributes) {
    return Boolean.TRUE.equals(attributes.get(RUNNING));
  }

  /** A span's metadata value for one key, or null. */
  public static String metadata(Map<String, Object> attributes, String key) {
    return attributes.get(METADATA_PREFIX + key) instanceof String s && !s.isEmpty() ? s : null;
  }

  /** A string attribute, or null when absent, empty or not a string. */
  public static String text(Map<String, Object> attributes, String key) {
    return attributes.get(key) instanceof String s && !s.isEmpty() ? s : null;
  }
}
