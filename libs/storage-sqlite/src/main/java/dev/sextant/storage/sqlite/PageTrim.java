package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.rollup.RollupTier;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Rewrites one page of a block without what is older than a cutoff: chunk points before it, rollup
 * windows that ended by it — of the series a filter accepts. The page keeps its key (readers find a
 * series by the greatest key at or below it); a page left empty is deleted.
 */
final class PageTrim {
  private PageTrim() {}

  /** What a trim removed: rows (points or stored windows) and payload bytes. */
  record Removed(long rows, long bytes) {
    static final Removed NOTHING = new Removed(0, 0);
  }

  /** One page row as read. */
  record PageRow(int tenantRef, long firstSeries, byte[] data) {}

  static Removed trim(
      StatementCache statements,
      PageTable table,
      long block,
      PageRow row,
      long cutoff,
      LongPredicate series)
      throws SQLException {
    SeriesPages.Entries entries = SeriesPages.read(row.data());
    SeriesPages.Writer kept = new SeriesPages.Writer();
    long rows = 0;
    long bytes = 0;
    for (int i = 0; i < entries.ids().length; i++) {
      SeriesPages.Slice slice = entries.slice(i);
      byte[] payload;
      if (!series.test(entries.ids()[i])) {
        payload = copy(slice);
      } else {
        Trimmed trimmed =
            switch (table) {
              case CHUNKS -> trimChunk(slice, cutoff);
              case ROLLUPS_1M -> trimRollups(slice, RollupTier.ONE_MINUTE, cutoff);
              case ROLLUPS_1H -> trimRollups(slice, RollupTier.ONE_HOUR, cutoff);
            };
        payload = trimmed.payload();
        rows += trimmed.removed();
        bytes += slice.length() - (payload == null ? 0 : payload.length);
      }
      if (payload != null) {
        kept.add(entries.ids()[i], payload);
      }
    }
    if (rows == 0) {
      return Removed.NOTHING;
    }
    PreparedStatement delete =
        statements.prepare(
            "DELETE FROM "
                + table.table()
                + " WHERE block = ? AND tenant_ref = ? AND first_series = ?");
    delete.setLong(1, block);
    delete.setInt(2, row.tenantRef());
    delete.setLong(3, row.firstSeries());
    delete.executeUpdate();
    List<SeriesPages.Page> pages = kept.finish();
    List<SeriesPages.Page> rekeyed = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      SeriesPages.Page page = pages.get(i);
      rekeyed.add(i == 0 ? new SeriesPages.Page(row.firstSeries(), page.data()) : page);
    }
    Blocks.insertPages(statements, table, block, row.tenantRef(), rekeyed);
    return new Removed(rows, bytes);
  }

  /** A payload without its old part (null: nothing left) and how many rows went. */
  private record Trimmed(byte[] payload, long removed) {}

  private static Trimmed trimChunk(SeriesPages.Slice slice, long cutoff) {
    ChunkCodec.Header header = ChunkCodec.header(slice.data(), slice.offset(), slice.length());
    if (header.minTime() >= cutoff) {
      return new Trimmed(copy(slice), 0);
    }
    if (header.maxTime() < cutoff) {
      return new Trimmed(null, header.count());
    }
    List<MetricPoint> points = ChunkCodec.decode(slice.data(), slice.offset(), slice.length());
    List<MetricPoint> left = points.stream().filter(p -> p.timeUnixNanos() >= cutoff).toList();
    return new Trimmed(ChunkCodec.encode(left), points.size() - left.size());
  }

  private static Trimmed trimRollups(SeriesPages.Slice slice, RollupTier tier, long cutoff) {
    List<RollupCodec.Stored> stored =
        RollupCodec.decode(slice.data(), slice.offset(), slice.length());
    List<RollupCodec.Stored> left = new ArrayList<>();
    for (RollupCodec.Stored s : stored) {
      if (!endedBy(s.windowStartUnixNanos(), tier, cutoff)) {
        left.add(s);
      }
    }
    if (left.size() == stored.size()) {
      return new Trimmed(copy(slice), 0);
    }
    return new Trimmed(
        left.isEmpty() ? null : RollupCodec.encode(left), stored.size() - left.size());
  }

  /** Whether the window starting there ended at or before the cutoff. */
  static boolean endedBy(long windowStart, RollupTier tier, long cutoff) {
    return windowStart <= cutoff - tier.nanos() && cutoff - tier.nanos() < cutoff;
  }

  private static byte[] copy(SeriesPages.Slice slice) {
    byte[] bytes = new byte[slice.length()];
    System.arraycopy(slice.data(), slice.offset(), bytes, 0, slice.length());
    return bytes;
  }
}
