package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.CallerReads;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads one series out of the blocks: its points merged across blocks (a later block's point
 * replaces an earlier one's at the same time), its newest points, whether it has points in a range,
 * its stored rollups. Works on any connection: readers', or the writer's inside a flush or
 * compaction.
 */
final class BlockReader {
  /** How far back the first look for an earlier point goes; it doubles until one is found. */
  private static final long FIRST_LOOK_BACK = 10 * 60 * 1_000_000_000L;

  private BlockReader() {}

  /** The part of a page that holds the series, in a block. */
  record Found(Block block, SeriesPages.Slice slice) {}

  /** The order in which blocks win: later flushes last, then higher levels (as find() sorts). */
  private static final Comparator<Found> WINNER_LAST =
      Comparator.comparingLong((Found f) -> f.block().lastFlush())
          .thenComparingInt(f -> f.block().level());

  /** The series' payloads in blocks overlapping {@code [from, to)}, earliest winner first. */
  static List<Found> find(
      StatementCache statements,
      PageTable table,
      int tenantRef,
      long seriesId,
      long from,
      long to,
      BlockFilter filter)
      throws SQLException {
    PreparedStatement select = statements.prepare(table.findPagesSql());
    select.setInt(1, tenantRef);
    select.setLong(2, seriesId);
    select.setLong(3, from);
    select.setLong(4, to);
    select.setInt(5, filter.minLevel());
    select.setInt(6, filter.maxLevel());
    select.setLong(7, filter.maxFlush());
    List<Found> found = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        CallerReads.checkBudget();
        byte[] page = rows.getBytes(8);
        if (page == null) {
          continue;
        }
        SeriesPages.Slice slice = SeriesPages.read(page).find(seriesId);
        if (slice != null) {
          found.add(new Found(Block.read(rows), slice));
        }
      }
    }
    return found;
  }

  /**
   * {@link #find} for many series in one statement: per series, in the order given, its payloads in
   * blocks overlapping {@code [from, to)}, earliest winner first.
   */
  static List<List<Found>> findMany(
      StatementCache statements,
      PageTable table,
      int tenantRef,
      long[] seriesIds,
      long from,
      long to,
      BlockFilter filter)
      throws SQLException {
    List<List<Found>> found = new ArrayList<>(seriesIds.length);
    StringBuilder ids = new StringBuilder(seriesIds.length * 21 + 2).append('[');
    for (int i = 0; i < seriesIds.length; i++) {
      found.add(new ArrayList<>());
      ids.append(i == 0 ? "" : ",").append(seriesIds[i]);
    }
    if (seriesIds.length == 0) {
      return found;
    }
    PreparedStatement select = statements.prepare(table.findPagesOfManySql());
    select.setInt(1, tenantRef);
    select.setString(2, ids.append(']').toString());
    select.setLong(3, from);
    select.setLong(4, to);
    select.setInt(5, filter.minLevel());
    select.setInt(6, filter.maxLevel());
    select.setLong(7, filter.maxFlush());
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        byte[] page = rows.getBytes(8);
        if (page == null) {
          continue;
        }
        int index = rows.getInt(9);
        SeriesPages.Slice slice = SeriesPages.read(page).find(seriesIds[index]);
        if (slice != null) {
          found.get(index).add(new Found(Block.read(rows), slice));
        }
      }
    }
    for (List<Found> ofSeries : found) {
      ofSeries.sort(WINNER_LAST);
    }
    return found;
  }

  /** The series' points in {@code [from, to)}, oldest first, one per time. */
  static List<MetricPoint> points(
      StatementCache statements,
      int tenantRef,
      long seriesId,
      long from,
      long to,
      BlockFilter filter)
      throws SQLException {
    if (from >= to) {
      return List.of();
    }
    return points(
        find(statements, PageTable.CHUNKS, tenantRef, seriesId, from, to, filter), from, to);
  }

  /** The points in {@code [from, to)} of a series' chunks (as {@link #find} gives them). */
  static List<MetricPoint> points(List<Found> chunks, long from, long to) {
    if (from >= to) {
      return List.of();
    }
    List<List<MetricPoint>> runs = new ArrayList<>();
    for (Found found : chunks) {
      SeriesPages.Slice slice = found.slice();
      ChunkCodec.Header header = ChunkCodec.header(slice.data(), slice.offset(), slice.length());
      if (header.maxTime() < from || header.minTime() >= to) {
        continue;
      }
      List<MetricPoint> points =
          ChunkCodec.decode(slice.data(), slice.offset(), slice.length(), from, to);
      runs.add(within(points, from, to));
    }
    return PointMerge.merge(runs);
  }

  private static List<MetricPoint> within(List<MetricPoint> points, long from, long to) {
    int first = 0;
    while (first < points.size() && points.get(first).timeUnixNanos() < from) {
      first++;
    }
    int end = points.size();
    while (end > first && points.get(end - 1).timeUnixNanos() >= to) {
      end--;
    }
    return points.subList(first, end);
  }

  /** Whether the series has a point in {@code [from, to)}. */
  static boolean hasPointIn(
      StatementCache statements, int tenantRef, long seriesId, long from, long to)
      throws SQLException {
    List<Found> found =
        find(statements, PageTable.CHUNKS, tenantRef, seriesId, from, to, BlockFilter.ALL);
    List<Found> spanning = new ArrayList<>();
    for (Found f : found) {
      SeriesPages.Slice slice = f.slice();
      ChunkCodec.Header header = ChunkCodec.header(slice.data(), slice.offset(), slice.length());
      boolean minInside = header.minTime() >= from && header.minTime() < to;
      boolean maxInside = header.maxTime() >= from && header.maxTime() < to;
      if (minInside || maxInside) {
        return true;
      }
      if (header.minTime() < from && header.maxTime() >= to) {
        spanning.add(f);
      }
    }
    for (Found f : spanning) {
      SeriesPages.Slice slice = f.slice();
      for (MetricPoint p :
          ChunkCodec.decode(slice.data(), slice.offset(), slice.length(), from, to)) {
        if (p.timeUnixNanos() >= from && p.timeUnixNanos() < to) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The series' newest point before {@code before} (a sample: not a stale marker, when {@code
   * samplesOnly}), or null; looks back in doubling steps so a dense series costs one short read.
   */
  static MetricPoint newestBefore(
      StatementCache statements,
      int tenantRef,
      long seriesId,
      long before,
      boolean samplesOnly,
      BlockFilter filter)
      throws SQLException {
    long oldest = blockTime(statements, "min(min_time)", Long.MAX_VALUE);
    long newest = blockTime(statements, "max(max_time)", Long.MIN_VALUE);
    long span = FIRST_LOOK_BACK;
    long to = newest == Long.MAX_VALUE ? before : Math.min(before, newest + 1);
    while (to > oldest) {
      long from = to - span < oldest || to - span > to ? oldest : to - span;
      List<MetricPoint> points = points(statements, tenantRef, seriesId, from, to, filter);
      for (int i = points.size() - 1; i >= 0; i--) {
        if (!samplesOnly || !Rollups.isStaleMarker(points.get(i))) {
          return points.get(i);
        }
      }
      to = from;
      span = span > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : span * 2;
    }
    return null;
  }

  private static long blockTime(StatementCache statements, String aggregate, long none)
      throws SQLException {
    try (ResultSet rows =
        statements.prepare("SELECT " + aggregate + " FROM blocks WHERE ready = 1").executeQuery()) {
      rows.next();
      long time = rows.getLong(1);
      return rows.wasNull() ? none : time;
    }
  }

  /**
   * The stored rollups of the windows starting in {@code [from, to)}, each window's stored parts
   * folded in block order: a complete one replaces what came before, a partial one is combined.
   */
  static List<Rollup> storedRollups(
      StatementCache statements, RollupTier tier, int tenantRef, long seriesId, long from, long to)
      throws SQLException {
    if (from >= to) {
      return List.of();
    }
    TreeMap<Long, RollupCodec.Stored> windows = new TreeMap<>();
    for (Found found :
        find(
            statements, PageTable.of(tier), tenantRef, seriesId, from, to, BlockFilter.COMPACTED)) {
      SeriesPages.Slice slice = found.slice();
      for (RollupCodec.Stored stored :
          RollupCodec.decode(slice.data(), slice.offset(), slice.length())) {
        long window = stored.windowStartUnixNanos();
        if (window >= from && window < to) {
          windows.merge(window, stored, (earlier, later) -> later.after(earlier));
        }
      }
    }
    List<Rollup> rollups = new ArrayList<>(windows.size());
    for (RollupCodec.Stored stored : windows.values()) {
      if (stored.rollup() != null) {
        rollups.add(stored.rollup());
      }
    }
    return rollups;
  }
}
