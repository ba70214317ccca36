package dev.sextant.storage.postgres;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.json.NulEscape;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One {@code metric_chunks} row: points of one series within one hour window, sorted by time and
 * encoded by {@link PointCodec}. A chunk never crosses a window, so its window (the partition key)
 * bounds its times and reads prune partitions by it.
 */
record Chunk(
    String tenant,
    long seriesId,
    long windowStart,
    long seq,
    short level,
    long minTime,
    long maxTime,
    int points,
    byte[] data) {

  /** The window length: an hour. */
  static final long WINDOW_NANOS = 3_600_000_000_000L;

  /** The level of a chunk that holds as many points as a chunk may: never merged again. */
  static final short FULL = Short.MAX_VALUE;

  static long windowOf(long unixNanos) {
    return Math.floorDiv(unixNanos, WINDOW_NANOS) * WINDOW_NANOS;
  }

  /**
   * Chunks of the series' points (sorted by strictly increasing time), a window at a time, at most
   * {@code maxPoints} each; pieces holding {@code maxPoints} are {@link #FULL}, the others get
   * {@code level}.
   */
  static List<Chunk> of(
      String tenant,
      long seriesId,
      long seq,
      short level,
      List<MetricPoint> points,
      int maxPoints) {
    List<Chunk> chunks = new ArrayList<>();
    List<MetricPoint> piece = new ArrayList<>();
    long window = Long.MIN_VALUE;
    for (MetricPoint point : points) {
      long pointWindow = windowOf(point.timeUnixNanos());
      if (!piece.isEmpty() && (pointWindow != window || piece.size() == maxPoints)) {
        chunks.add(chunk(tenant, seriesId, window, seq, level, piece, maxPoints));
        piece = new ArrayList<>();
      }
      window = pointWindow;
      piece.add(point);
    }
    if (!piece.isEmpty()) {
      chunks.add(chunk(tenant, seriesId, window, seq, level, piece, maxPoints));
    }
    return chunks;
  }

  private static Chunk chunk(
      String tenant,
      long seriesId,
      long window,
      long seq,
      short level,
      List<MetricPoint> points,
      int maxPoints) {
    return new Chunk(
        tenant,
        seriesId,
        window,
        seq,
        points.size() >= maxPoints ? FULL : level,
        points.getFirst().timeUnixNanos(),
        points.getLast().timeUnixNanos(),
        points.size(),
        PointCodec.encode(points));
  }

  private static final String INSERT =
      "INSERT INTO metric_chunks (tenant, series_id, window_start, seq, level, min_time, max_time,"
          + " points, data) SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[],"
          + " $5::int2[], $6::int8[], $7::int8[], $8::int4[], $9::bytea[])";

  /** Inserts the chunks with one statement. */
  static Future<Void> insert(SqlClient client, Collection<Chunk> chunks) {
    if (chunks.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = chunks.size();
    String[] tenants = new String[n];
    Long[] series = new Long[n];
    Long[] windows = new Long[n];
    Long[] seqs = new Long[n];
    Short[] levels = new Short[n];
    Long[] mins = new Long[n];
    Long[] maxs = new Long[n];
    Integer[] counts = new Integer[n];
    Buffer[] data = new Buffer[n];
    int i = 0;
    for (Chunk c : chunks) {
      tenants[i] = NulEscape.escape(c.tenant());
      series[i] = c.seriesId();
      windows[i] = c.windowStart();
      seqs[i] = c.seq();
      levels[i] = c.level();
      mins[i] = c.minTime();
      maxs[i] = c.maxTime();
      counts[i] = c.points();
      data[i] = Buffer.buffer(c.data());
      i++;
    }
    return client
        .preparedQuery(INSERT)
        .execute(
            Tuple.from(
                new Object[] {tenants, series, windows, seqs, levels, mins, maxs, counts, data}))
        .mapEmpty();
  }
}
