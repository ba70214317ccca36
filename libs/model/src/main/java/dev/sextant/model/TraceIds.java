package dev.sextant.model;

/**
 * The text form of trace and span ids everywhere in Sextant: lowercase hex, 32 characters for a
 * trace id (16 bytes), 16 for a span id (8 bytes). Receivers convert what they get into this form
 * (OTLP bytes, Mastra's hex strings); backends may store ids in binary because the form is fixed.
 */
public final class TraceIds {
  public static final int TRACE_ID_HEX_LENGTH = 32;
  public static final int SPAN_ID_HEX_LENGTH = 16;

  private TraceIds() {}

  public static boolean isTraceId(String id) {
    return isLowerHex(id, TRACE_ID_HEX_LENGTH);
  }

  public static boolean isSpanId(String id) {
    return isLowerHex(id, SPAN_ID_HEX_LENGTH);
  }

  static String requireTraceId(String id, String what) {
    if (!isTraceId(id)) {
      throw new IllegalArgumentException(what + " must be 32 lowercase hex characters: " + id);
    }
    return id;
  }

  static String requireSpanId(String id, String what) {
    if (!isSpanId(id)) {
      throw new IllegalArgumentException(what + " must be 16 lowercase hex characters: " + id);
    }
    return id;
  }

  /** Empty (absent) or a span id. */
  static String requireOptionalSpanId(String id, String what) {
    return id.isEmpty() ? id : requireSpanId(id, what);
  }

  /** Empty (absent) or a trace id. */
  static String requireOptionalTraceId(String id, String what) {
    return id.isEmpty() ? id : requireTraceId(id, what);
  }

  private static boolean isLowerHex(String id, int length) {
    if (id == null || id.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
