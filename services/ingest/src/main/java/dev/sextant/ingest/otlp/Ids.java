package dev.sextant.ingest.otlp;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Trace and span ids: checked for size and zero, stored as lowercase hex. */
final class Ids {
  static final int TRACE_ID_BYTES = 16;
  static final int SPAN_ID_BYTES = 8;
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  static String hex(ByteString id) {
    return HEX.formatHex(id.toByteArray());
  }

  /** Whether a required id is exactly {@code size} bytes and not all zero. */
  static boolean isValid(ByteString id, int size) {
    return id.size() == size && !isZero(id);
  }

  /** A required id: exactly {@code size} bytes, not all zero. Null when valid. */
  static Problem checkRequired(ByteString id, int size, RejectReason reason, String what) {
    if (id.size() != size) {
      return new Problem(reason, what + " must be " + size + " bytes, got " + id.size());
    }
    if (isZero(id)) {
      return new Problem(reason, what + " must not be all zero");
    }
    return null;
  }

  /**
   * An optional id: empty, or exactly {@code size} bytes. Null when valid. All zero counts as
   * absent (some SDKs send zeros for "no parent").
   */
  static Problem checkOptional(ByteString id, int size, RejectReason reason, String what) {
    if (id.isEmpty() || id.size() == size) {
      return null;
    }
    return new Problem(reason, what + " must be empty or " + size + " bytes, got " + id.size());
  }

  /** The hex of an optional id already checked: empty when absent or all zero. */
  static String optionalHex(ByteString id) {
    return id.isEmpty() || isZero(id) ? "" : hex(id);
  }

  static boolean isZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
