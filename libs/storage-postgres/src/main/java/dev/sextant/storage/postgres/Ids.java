package dev.sextant.storage.postgres;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;

/**
 * Trace and span ids as the bytes they are: 16 and 8 bytes in {@code bytea} instead of 32 and 16
 * hex characters. {@code bytea} compares bytewise, which orders ids as their lowercase hex does.
 */
final class Ids {
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  static Buffer traceId(String hex) {
    return Buffer.buffer(HEX.parseHex(hex));
  }

  static Buffer spanId(String hex) {
    return Buffer.buffer(HEX.parseHex(hex));
  }

  /** An optional id: null (SQL NULL) when empty. */
  static Buffer optional(String hex) {
    return hex.isEmpty() ? null : Buffer.buffer(HEX.parseHex(hex));
  }

  static String hex(Buffer bytes) {
    return HEX.formatHex(bytes.getBytes());
  }

  /** An optional id read back: empty when NULL. */
  static String optionalHex(Buffer bytes) {
    return bytes == null ? "" : HEX.formatHex(bytes.getBytes());
  }
}
