package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One slice of a compaction job in one transaction: for each series of the slice, its chunks in the
 * source blocks merged into one chunk of the target (a later block's point wins at the same time),
 * and its rollups.
 *
 * <p>Merging level 0 rolls the points up. The writer remembers per series the newest sample rolled
 * up so far (its frontier). Points after it are summed onto the stored rollups as partials, with
 * the frontier as the previous sample — the common case. A point at or before it (late, or
 * replacing one) changes its window and every later one up to the frontier, which are then
 * recomputed from all points stored in blocks not newer than the sources and stored complete,
 * replacing what older blocks hold for them. Merging higher levels folds the stored rollups.
 */
final class CompactionSlice implements WriteTask<Void> {
  private final MetricWriter writer;
  private final CompactionJob job;
  private final CompactionJob.Slice slice;
  private final Map<SeriesState, MetricPoint> frontiers = new HashMap<>();
  private Long floor;

  CompactionSlice(MetricWriter writer, CompactionJob job, CompactionJob.Slice slice) {
    this.writer = writer;
    this.job = job;
    this.slice = slice;
  }

  @Override
  public int rows() {
    return Compactor.PAGES_PER_SLICE;
  }

  @Override
  public Void apply(StatementCache statements) throws SQLException {
    if (WriterLease.read(statements).session() != writer.lease().session()) {
      throw new IllegalStateException("the metric writer lease was taken; compaction stops");
    }
    TreeMap<Long, List<SeriesPages.Slice>> chunks = read(statements, PageTable.CHUNKS);
    boolean rollUp = job.level() == 0;
    TreeMap<Long, List<SeriesPages.Slice>> minutes =
        rollUp ? null : read(statements, PageTable.ROLLUPS_1M);
    TreeMap<Long, List<SeriesPages.Slice>> hours =
        rollUp ? null : read(statements, PageTable.ROLLUPS_1H);

    SeriesPages.Writer chunkPages = new SeriesPages.Writer();
    SeriesPages.Writer minutePages = new SeriesPages.Writer();
    SeriesPages.Writer hourPages = new SeriesPages.Writer();
    // Series with rollups but no chunk: retention removed their raw samples and kept the rollups.
    TreeSet<Long> ids = new TreeSet<>(chunks.keySet());
    if (!rollUp) {
      ids.addAll(minutes.keySet());
      ids.addAll(hours.keySet());
    }
    for (long id : ids) {
      List<List<MetricPoint>> runs = new ArrayList<>();
      for (SeriesPages.Slice chunk : chunks.getOrDefault(id, List.of())) {
        runs.add(ChunkCodec.decode(chunk.data(), chunk.offset(), chunk.length()));
      }
      List<MetricPoint> points = PointMerge.merge(runs);
      if (!points.isEmpty()) {
        chunkPages.add(id, ChunkCodec.encode(points));
      }
      List<RollupCodec.Stored> minute;
      List<RollupCodec.Stored> hour;
      if (rollUp) {
        RolledUp rolled = rollUp(statements, id, points);
        minute = rolled.minutes();
        hour = rolled.hours();
      } else {
        minute = fold(minutes.get(id));
        hour = fold(hours.get(id));
      }
      if (!minute.isEmpty()) {
        minutePages.add(id, RollupCodec.encode(minute));
      }
      if (!hour.isEmpty()) {
        hourPages.add(id, RollupCodec.encode(hour));
      }
    }
    Blocks.insertPages(
        statements, PageTable.CHUNKS, job.target(), slice.tenantRef(), chunkPages.finish());
    Blocks.insertPages(
        statements, PageTable.ROLLUPS_1M, job.target(), slice.tenantRef(), minutePages.finish());
    Blocks.insertPages(
        statements, PageTable.ROLLUPS_1H, job.target(), slice.tenantRef(), hourPages.finish());
    return null;
  }

  /**
   * The payloads of the slice's series in the source blocks, by series id, oldest block first. A
   * page holding series of the slice may start before it: the page before the slice's first is read
   * too.
   */
  private TreeMap<Long, List<SeriesPages.Slice>> read(StatementCache statements, PageTable table)
      throws SQLException {
    PreparedStatement before =
        statements.prepare(
            "SELECT data FROM "
                + table.table()
                + " WHERE block = ? AND tenant_ref = ? AND first_series < ?"
                + " ORDER BY first_series DESC LIMIT 1");
    PreparedStatement within =
        statements.prepare(
            "SELECT data FROM "
                + table.table()
                + " WHERE block = ? AND tenant_ref = ? AND first_series BETWEEN ? AND ?"
                + " ORDER BY first_series");
    TreeMap<Long, List<SeriesPages.Slice>> bySeries = new TreeMap<>();
    for (Block source : job.sources()) {
      List<byte[]> pages = new ArrayList<>();
      before.setLong(1, source.id());
      before.setInt(2, slice.tenantRef());
      before.setLong(3, slice.low());
      try (ResultSet rows = before.executeQuery()) {
        if (rows.next()) {
          pages.add(rows.getBytes(1));
        }
      }
      within.setLong(1, source.id());
      within.setInt(2, slice.tenantRef());
      within.setLong(3, slice.low());
      within.setLong(4, slice.high());
      try (ResultSet rows = within.executeQuery()) {
        while (rows.next()) {
          pages.add(rows.getBytes(1));
        }
      }
      for (byte[] page : pages) {
        SeriesPages.Entries entries = SeriesPages.read(page);
        for (int i = 0; i < entries.ids().length; i++) {
          long id = entries.ids()[i];
          if (id >= slice.low() && id <= slice.high()) {
            bySeries.computeIfAbsent(id, k -> new ArrayList<>()).add(entries.slice(i));
          }
        }
      }
    }
    return bySeries;
  }

  /** The stored rollups of one series in the sources, folded window by window. */
  private static List<RollupCodec.Stored> fold(List<SeriesPages.Slice> payloads) {
    if (payloads == null) {
      return List.of();
    }
    TreeMap<Long, RollupCodec.Stored> windows = new TreeMap<>();
    for (SeriesPages.Slice payload : payloads) {
      for (RollupCodec.Stored stored :
          RollupCodec.decode(payload.data(), payload.offset(), payload.length())) {
        windows.merge(
            stored.windowStartUnixNanos(), stored, (earlier, later) -> later.after(earlier));
      }
    }
    return List.copyOf(windows.values());
  }

  private record RolledUp(List<RollupCodec.Stored> minutes, List<RollupCodec.Stored> hours) {}

  private RolledUp rollUp(StatementCache statements, long id, List<MetricPoint> merged)
      throws SQLException {
    // Windows before the raw floor were stored for good when retention removed their samples: a
    // sample that arrives there late stays in the chunks until the next retention run and changes
    // no rollup (recomputing the window from the samples left would lose the removed ones).
    long floor = rawFloor(statements);
    List<MetricPoint> points =
        floor == Long.MIN_VALUE
            ? merged
            : merged.stream().filter(p -> p.timeUnixNanos() >= floor).toList();
    if (points.isEmpty()) {
      return new RolledUp(List.of(), List.of());
    }
    SeriesState state = writer.head().state(new SeriesKey(slice.tenant(), id));
    if (!state.frontierLoaded) {
      state.frontier =
          BlockReader.newestBefore(
              statements, slice.tenantRef(), id, Long.MAX_VALUE, true, BlockFilter.COMPACTED);
      state.frontierLoaded = true;
    }
    MetricPoint frontier = state.frontier;
    long first = points.getFirst().timeUnixNanos();
    if (frontier == null || first > frontier.timeUnixNanos()) {
      frontiers.put(state, newestSample(points, frontier));
      return new RolledUp(
          stored(Rollups.compute(RollupTier.ONE_MINUTE, frontier, points), false),
          stored(Rollups.compute(RollupTier.ONE_HOUR, frontier, points), false));
    }
    // A late or replacing point: recompute from its hour on, through the frontier.
    long from = RollupTier.ONE_HOUR.windowStart(first);
    long last = Math.max(points.getLast().timeUnixNanos(), frontier.timeUnixNanos());
    long to = last == Long.MAX_VALUE ? Long.MAX_VALUE : last + 1;
    BlockFilter notNewer = BlockFilter.ALL.upToFlush(job.maxFlush());
    List<MetricPoint> all =
        PointMerge.merge(
            List.of(
                BlockReader.points(statements, slice.tenantRef(), id, from, to, notNewer), points));
    MetricPoint previous =
        BlockReader.newestBefore(statements, slice.tenantRef(), id, from, true, notNewer);
    frontiers.put(state, newestSample(all, previous));
    return new RolledUp(
        complete(RollupTier.ONE_MINUTE, previous, all),
        complete(RollupTier.ONE_HOUR, previous, all));
  }

  /** The slice tenant's raw floor, read once per slice. */
  private long rawFloor(StatementCache statements) throws SQLException {
    if (floor == null) {
      floor = MetricRowRetention.rawFloor(statements, slice.tenant());
    }
    return floor;
  }

  private static List<RollupCodec.Stored> stored(List<Rollup> rollups, boolean complete) {
    List<RollupCodec.Stored> stored = new ArrayList<>(rollups.size());
    for (Rollup rollup : rollups) {
      stored.add(new RollupCodec.Stored(complete, rollup));
    }
    return stored;
  }

  /**
   * Complete rollups of every window holding points, and an empty one for a window whose points are
   * all stale markers now, so no older rollup of it is read.
   */
  private static List<RollupCodec.Stored> complete(
      RollupTier tier, MetricPoint previous, List<MetricPoint> points) {
    TreeMap<Long, RollupCodec.Stored> windows = new TreeMap<>();
    for (MetricPoint point : points) {
      long window = tier.windowStart(point.timeUnixNanos());
      windows.putIfAbsent(window, RollupCodec.Stored.empty(window));
    }
    for (Rollup rollup : Rollups.compute(tier, previous, points)) {
      windows.put(rollup.windowStartUnixNanos(), new RollupCodec.Stored(true, rollup));
    }
    return List.copyOf(windows.values());
  }

  private static MetricPoint newestSample(List<MetricPoint> points, MetricPoint otherwise) {
    for (int i = points.size() - 1; i >= 0; i--) {
      if (!Rollups.isStaleMarker(points.get(i))) {
        return otherwise == null || points.get(i).timeUnixNanos() > otherwise.timeUnixNanos()
            ? points.get(i)
            : otherwise;
      }
    }
    return otherwise;
  }

  @Override
  public void committed(Void ignored) {
    frontiers.forEach(
        (state, frontier) -> {
          state.frontier = frontier;
          state.frontierLoaded = true;
        });
  }
}
