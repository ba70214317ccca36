package dev.sextant.storage.postgres;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollups;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reads points from {@code metric_chunks}: every chunk of the series that overlaps the range, in
 * one statement, merged in seq order so that a later flush or merge wins at the same time (that is
 * how replaced, late and out-of-order points need nothing special). The window bounds prune
 * partitions: a chunk lies within its window, so one overlapping {@code [start, end)} has a window
 * start in {@code (start - 1 h, end)}.
 */
final class ChunkReader {
  private static final String OVERLAPPING =
      "SELECT series_id, seq, id, data FROM metric_chunks WHERE tenant = $1"
          + " AND series_id = ANY($2::int8[]) AND window_start > $3 AND window_start < $4"
          + " AND max_time >= $5 AND min_time < $4";

  private static final String LATEST =
      "SELECT u.id, c.data FROM unnest($2::int8[]) AS u(id) CROSS JOIN LATERAL"
          + " (SELECT data FROM metric_chunks WHERE tenant = $1 AND series_id = u.id"
          + " ORDER BY max_time DESC, seq DESC LIMIT 1) c";

  private static final String BEFORE =
      "SELECT max_time, seq, id, data FROM metric_chunks WHERE tenant = $1 AND series_id = $2"
          + " AND min_time < $3 AND (max_time, seq, id) < ($4, $5, $6)"
          + " ORDER BY max_time DESC, seq DESC, id DESC LIMIT 8";

  private ChunkReader() {}

  private static long windowFloor(long start) {
    return start < Long.MIN_VALUE + Chunk.WINDOW_NANOS
        ? Long.MIN_VALUE
        : start - Chunk.WINDOW_NANOS;
  }

  /**
   * Series one statement reads the chunks of: the client holds a statement's rows whole, so a read
   * of many series goes a batch at a time (10,000 series of a metric at 100,000 series put a 192 MB
   * query service out of memory in one statement).
   */
  static final int SERIES_PER_READ = 1_000;

  /**
   * Runs {@code read} over {@code ids} a batch of {@link #SERIES_PER_READ} at a time, one after the
   * other, adding each batch's answer into {@code into}.
   */
  private static <T> Future<T> inBatches(
      Long[] ids, T into, Function<Long[], Future<T>> read, BiConsumer<T, T> add) {
    if (ids.length <= SERIES_PER_READ) {
      return read.apply(ids);
    }
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < ids.length; from += SERIES_PER_READ) {
      Long[] batch = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + SERIES_PER_READ));
      done =
          done.compose(
              x ->
                  read.apply(batch)
                      .map(
                          answer -> {
                            add.accept(into, answer);
                            return null;
                          }));
    }
    return done.map(into);
  }

  /** The points of each series in the range, by time; series without any are absent. */
  static Future<Map<Long, TreeMap<Long, MetricPoint>>> points(
      SqlClient client, String tenant, Long[] ids, TimeRange range) {
    return inBatches(
        ids, new HashMap<>(), batch -> pointsOf(client, tenant, batch, range), Map::putAll);
  }

  private static Future<Map<Long, TreeMap<Long, MetricPoint>>> pointsOf(
      SqlClient client, String tenant, Long[] ids, TimeRange range) {
    return client
        .preparedQuery(OVERLAPPING)
        .execute(
            Tuple.from(
                new Object[] {
                  NulEscape.escape(tenant),
                  ids,
                  windowFloor(range.startUnixNanos()),
                  range.endUnixNanos(),
                  range.startUnixNanos()
                }))
        .map(
            rows -> {
              Map<Long, List<Object[]>> chunks = new HashMap<>();
              for (Row row : rows) {
                chunks
                    .computeIfAbsent(row.getLong(0), id -> new ArrayList<>())
                    .add(
                        new Object[] {row.getLong(1), row.getLong(2), row.getBuffer(3).getBytes()});
              }
              Map<Long, TreeMap<Long, MetricPoint>> points = new HashMap<>();
              chunks.forEach(
                  (id, list) -> {
                    TreeMap<Long, MetricPoint> merged = merge(list, range);
                    if (!merged.isEmpty()) {
                      points.put(id, merged);
                    }
                  });
              return points;
            });
  }

  /** Chunks as {seq, id, bytes}, merged in (seq, id) order, keeping points in the range. */
  private static TreeMap<Long, MetricPoint> merge(List<Object[]> chunks, TimeRange range) {
    chunks.sort(
        (a, b) ->
            a[0].equals(b[0])
                ? Long.compare((long) a[1], (long) b[1])
                : Long.compare((long) a[0], (long) b[0]));
    TreeMap<Long, MetricPoint> merged = new TreeMap<>();
    for (Object[] chunk : chunks) {
      for (MetricPoint p : PointCodec.decode((byte[]) chunk[2])) {
        if (range.contains(p.timeUnixNanos())) {
          merged.put(p.timeUnixNanos(), p);
        }
      }
    }
    return merged;
  }

  /** The newest stored point of each series that has one. */
  static Future<Map<Long, MetricPoint>> latest(SqlClient client, String tenant, Long[] ids) {
    return client
        .preparedQuery(LATEST)
        .execute(Tuple.from(new Object[] {NulEscape.escape(tenant), ids}))
        .map(
            rows -> {
              Map<Long, MetricPoint> latest = new HashMap<>();
              for (Row row : rows) {
                List<MetricPoint> points = PointCodec.decode(row.getBuffer(1).getBytes());
                latest.put(row.getLong(0), points.getLast());
              }
              return latest;
            });
  }

  /**
   * The series' latest sample before {@code before} that is not a stale marker, or null: chunks are
   * read newest first (by their last point) a page at a time, and a point at time t is final once
   * every chunk whose last point is at or after t has been read.
   */
  static Future<MetricPoint> previousSample(
      SqlClient client, String tenant, long seriesId, long before) {
    return new PreviousWalk(client, tenant, seriesId, before)
        .next(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /** The state of one previousSample walk: the candidate points and the chunk that gave each. */
  private static final class PreviousWalk {
    private static final int PAGE = 8;
    private final SqlClient client;
    private final String tenant;
    private final long seriesId;
    private final long before;
    private final TreeMap<Long, MetricPoint> candidates = new TreeMap<>();
    private final Map<Long, long[]> from = new HashMap<>();

    PreviousWalk(SqlClient client, String tenant, long seriesId, long before) {
      this.client = client;
      this.tenant = tenant;
      this.seriesId = seriesId;
      this.before = before;
    }

    Future<MetricPoint> next(long cursorMax, long cursorSeq, long cursorId) {
      return client
          .preparedQuery(BEFORE)
          .execute(
              Tuple.from(
                  new Object[] {
                    NulEscape.escape(tenant), seriesId, before, cursorMax, cursorSeq, cursorId
                  }))
          .compose(
              rows -> {
                long lastMax = Long.MIN_VALUE;
                long lastSeq = 0;
                long lastId = 0;
                for (Row row : rows) {
                  lastMax = row.getLong(0);
                  lastSeq = row.getLong(1);
                  lastId = row.getLong(2);
                  for (MetricPoint p : PointCodec.decode(row.getBuffer(3).getBytes())) {
                    if (p.timeUnixNanos() < before) {
                      offer(p, lastSeq, lastId);
                    }
                  }
                }
                boolean exhausted = rows.rowCount() < PAGE;
                // Every chunk holding a point after lastMax has been read: those points are final.
                long finalAbove = exhausted ? Long.MIN_VALUE : lastMax;
                for (MetricPoint p : candidates.descendingMap().values()) {
                  if (p.timeUnixNanos() <= finalAbove) {
                    break;
                  }
                  if (!Rollups.isStaleMarker(p)) {
                    return Future.succeededFuture(p);
                  }
                }
                return exhausted ? Future.succeededFuture(null) : next(lastMax, lastSeq, lastId);
              });
    }

    /** Keeps the point unless a chunk of a higher (seq, id) gave one at its time. */
    private void offer(MetricPoint point, long seq, long id) {
      long[] known = from.get(point.timeUnixNanos());
      if (known == null || seq > known[0] || (seq == known[0] && id > known[1])) {
        from.put(point.timeUnixNanos(), new long[] {seq, id});
        candidates.put(point.timeUnixNanos(), point);
      }
    }
  }

  /** The ids among {@code ids} with at least one point in the range. */
  static Future<Set<Long>> withPointIn(
      SqlClient client, String tenant, Long[] ids, TimeRange range) {
    if (ids.length == 0) {
      return Future.succeededFuture(Set.of());
    }
    return inBatches(
        ids, new HashSet<>(), batch -> withPointInOf(client, tenant, batch, range), Set::addAll);
  }

  private static Future<Set<Long>> withPointInOf(
      SqlClient client, String tenant, Long[] ids, TimeRange range) {
    return client
        .preparedQuery(OVERLAPPING)
        .execute(
            Tuple.from(
                new Object[] {
                  NulEscape.escape(tenant),
                  ids,
                  windowFloor(range.startUnixNanos()),
                  range.endUnixNanos(),
                  range.startUnixNanos()
                }))
        .map(
            rows -> {
              Set<Long> found = new HashSet<>();
              for (Row row : rows) {
                long id = row.getLong(0);
                if (found.contains(id)) {
                  continue;
                }
                for (MetricPoint p : PointCodec.decode(row.getBuffer(3).getBytes())) {
                  if (range.contains(p.timeUnixNanos())) {
                    found.add(id);
                    break;
                  }
                }
              }
              return found;
            });
  }
}
