package dev.sextant.ingest.mastra;

import java.util.Locale;

/**
 * Mastra's ids into Sextant's form. Mastra generates 32 and 16 hex characters but accepts shorter
 * user-supplied hex trace ids; those are left-padded with zeros, as OpenTelemetry pads them. Null
 * for anything that is not 1 to {@code length} hex characters.
 */
final class MastraIds {
  private MastraIds() {}

  static String traceId(String id) {
    return normalize(id, 32);
  }

  static String spanId(String id) {
    return normalize(id, 16);
  }

  private static String normalize(String id, int length) {
    if (id == null || id.isEmpty() || id.length() > length) {
      return null;
    }
    String lower = id.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return null;
      }
    }
    return "0".repeat(length - lower.length()) + lower;
  }
}
