package dev.sextant.storage.clickhouse;

import java.util.HexFormat;

/**
 * Trace and span ids as ClickHouse stores them: the raw bytes ({@code FixedString(16)}, {@code
 * FixedString(8)}), half the size of their hex text; bytes compare in the same order as the
 * lowercase hex.
 */
final class Ids {
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  static byte[] bytes(String hex) {
    return HEX.parseHex(hex);
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
