package dev.sextant.storage.sqlite;

import dev.sextant.storage.rollup.RollupTier;

/** The tables of per-block series pages: chunks, and rollups per tier. */
enum PageTable {
  CHUNKS("chunks"),
  ROLLUPS_1M("rollups_1m"),
  ROLLUPS_1H("rollups_1h");

  private final String table;

  PageTable(String table) {
    this.table = table;
  }

  String table() {
    return table;
  }

  static PageTable of(RollupTier tier) {
    return switch (tier) {
      case ONE_MINUTE -> ROLLUPS_1M;
      case ONE_HOUR -> ROLLUPS_1H;
    };
  }

  /**
   * Per ready block overlapping a time range (filtered by level and flush), the page that would
   * hold a series, in the order later blocks win: one statement, the seeks done by SQLite.
   */
  String findPagesSql() {
    return pagesSql("?2", "", "blocks b", " ORDER BY b.last_flush, b.level");
  }

  /**
   * {@link #findPagesSql} for many series at once ({@code ?2}: a JSON array of series ids): one
   * statement instead of one per series. The series' index in the array is the last column, after
   * the page. Unordered: sorting would copy every page into a temporary b-tree, so the caller puts
   * each series' blocks in winning order.
   */
  String findPagesOfManySql() {
    return pagesSql("j.value", ", j.key", "json_each(?2) j CROSS JOIN blocks b", "");
  }

  private String pagesSql(String series, String moreColumns, String from, String order) {
    return "SELECT b."
        + Block.COLUMNS.replace(", ", ", b.")
        + ", (SELECT c.data FROM "
        + table
        + " c WHERE c.block = b.id AND c.tenant_ref = ?1 AND c.first_series <= "
        + series
        + " ORDER BY c.first_series DESC LIMIT 1)"
        + moreColumns
        + " FROM "
        + from
        + " WHERE b.ready = 1 AND b.max_time >= ?3 AND b.min_time < ?4"
        + " AND b.level BETWEEN ?5 AND ?6 AND b.last_flush <= ?7"
        + order;
  }
}
