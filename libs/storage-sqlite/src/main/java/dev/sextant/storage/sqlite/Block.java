package dev.sextant.storage.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A row of {@code blocks}: the points of flushes {@code firstFlush..lastFlush} at a compaction
 * level, within {@code [minTime, maxTime]}. Of two blocks, the one with the later flushes wins
 * where both hold a point at the same time (a later write replaces an earlier one).
 */
record Block(
    long id, int level, long firstFlush, long lastFlush, long minTime, long maxTime, long version) {

  /** The columns a block is selected by, in the order {@link #read} takes them. */
  static final String COLUMNS = "id, level, first_flush, last_flush, min_time, max_time, version";

  /** A block from the first seven columns of a row, selected as {@link #COLUMNS}. */
  static Block read(ResultSet row) throws SQLException {
    return new Block(
        row.getLong(1),
        row.getInt(2),
        row.getLong(3),
        row.getLong(4),
        row.getLong(5),
        row.getLong(6),
        row.getLong(7));
  }
}
