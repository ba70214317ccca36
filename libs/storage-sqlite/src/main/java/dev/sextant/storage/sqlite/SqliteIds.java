package dev.sextant.storage.sqlite;

import dev.sextant.model.TraceIds;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HexFormat;

/**
 * Trace and span ids in their binary columns. A trace id is its 16 bytes (a BLOB compares like the
 * hex text). A span id is its 8 bytes read as a big-endian long with the top bit flipped: SQLite
 * compares integers signed, and the flip makes that order the order of the hex text, so {@code
 * ORDER BY span_id} sorts as the model does.
 */
final class SqliteIds {
  private static final HexFormat HEX = HexFormat.of();

  private SqliteIds() {}

  static byte[] traceId(String hex) {
    return HEX.parseHex(hex);
  }

  static String traceId(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static long spanId(String hex) {
    return HexFormat.fromHexDigitsToLong(hex) ^ Long.MIN_VALUE;
  }

  static String spanId(long stored) {
    return HEX.toHexDigits(stored ^ Long.MIN_VALUE);
  }

  /** Whether a caller's trace id can be stored at all; one that cannot matches nothing. */
  static boolean isTraceId(String hex) {
    return TraceIds.isTraceId(hex);
  }

  /** Binds an optional trace id (empty: NULL). */
  static void bindOptionalTraceId(PreparedStatement statement, int index, String hex)
      throws SQLException {
    if (hex.isEmpty()) {
      statement.setNull(index, Types.BLOB);
    } else {
      statement.setBytes(index, traceId(hex));
    }
  }

  /** Binds an optional span id (empty: NULL). */
  static void bindOptionalSpanId(PreparedStatement statement, int index, String hex)
      throws SQLException {
    if (hex.isEmpty()) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setLong(index, spanId(hex));
    }
  }

  /** An optional trace id column: empty when NULL. */
  static String optionalTraceId(ResultSet row, int column) throws SQLException {
    byte[] bytes = row.getBytes(column);
    return bytes == null ? "" : traceId(bytes);
  }

  /** An optional span id column: empty when NULL. */
  static String optionalSpanId(ResultSet row, int column) throws SQLException {
    long stored = row.getLong(column);
    return row.wasNull() ? "" : spanId(stored);
  }
}
