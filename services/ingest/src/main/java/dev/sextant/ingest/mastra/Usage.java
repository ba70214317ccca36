package dev.sextant.ingest.mastra;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.MastraAttributes;
import java.util.Map;

/** Mastra's {@code UsageStats} as the OpenTelemetry GenAI usage attributes. */
final class Usage {
  private Usage() {}

  static void put(JsonNode usage, Map<String, Object> out) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    number(usage, "inputTokens", MastraAttributes.USAGE_INPUT, out);
    number(usage, "outputTokens", MastraAttributes.USAGE_OUTPUT, out);
    JsonNode input = usage.path("inputDetails");
    number(input, "cacheRead", MastraAttributes.USAGE_CACHE_READ, out);
    number(input, "cacheWrite", MastraAttributes.USAGE_CACHE_WRITE, out);
    number(input, "cacheWrite5m", MastraAttributes.USAGE_CACHE_WRITE_5M, out);
    number(input, "cacheWrite1h", MastraAttributes.USAGE_CACHE_WRITE_1H, out);
    number(input, "audio", MastraAttributes.USAGE_AUDIO_INPUT, out);
    JsonNode output = usage.path("outputDetails");
    number(output, "reasoning", MastraAttributes.USAGE_REASONING, out);
    number(output, "audio", MastraAttributes.USAGE_AUDIO_OUTPUT, out);
  }

  private static void number(JsonNode node, String field, String key, Map<String, Object> out) {
    JsonNode value = node.get(field);
    if (value != null && value.isNumber() && value.asDouble() >= 0) {
      out.put(key, value.asLong());
    }
  }
}
