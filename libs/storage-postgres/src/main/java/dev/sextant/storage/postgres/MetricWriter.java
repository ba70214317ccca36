package dev.sextant.storage.postgres;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.json.NulEscape;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns the metric write-ahead log into chunks (ADR 0012). A flush, in one transaction under the
 * schema's metric lock, deletes the oldest log rows (any process's), merges their points per series
 * (a later row wins at the same time), inserts one level-0 chunk per series and hour window with
 * the next flush number as its seq, and creates or updates the series rows the points need. So an
 * acknowledged write is either in the log or in chunks, never in neither, whichever process flushes
 * and whenever one dies. The same transaction rolls the points up ({@link RollupWriter}).
 *
 * <p>Compaction keeps reads cheap: when a series' window holds {@code fanIn} chunks of one level,
 * they are merged into one of the next level (cut at {@code maxChunkPoints}; a full piece is never
 * merged again), in one statement that deletes and returns them and one that inserts the result,
 * under the same lock. Merging all chunks of a level keeps their seqs contiguous, so the merged
 * chunk can carry the highest of them. The counts that trigger merges are this process's knowledge
 * of what it flushed; after a restart, older chunks just stay as they are.
 *
 * <p>Everything here runs one operation at a time (a chain of futures), on the pool's event loops.
 */
final class MetricWriter {
  private static final System.Logger LOG = System.getLogger(MetricWriter.class.getName());

  /** last_bound is this much after the last point a series row was written for. */
  static final long BOUND_NANOS = 300_000_000_000L;

  /**
   * The oldest log rows holding up to $1 points and $2 bytes (at least one row), of the first $3
   * rows; returns them with their point counts.
   */
  private static final String TAKE_LOG =
      "DELETE FROM metric_wal WHERE id IN (SELECT id FROM (SELECT id, sum(points) OVER w - points"
          + " AS points_before, sum(octet_length(payload)) OVER w - octet_length(payload)"
          + " AS bytes_before FROM metric_wal WINDOW w AS (ORDER BY id) ORDER BY id LIMIT $3) x"
          + " WHERE points_before < $1 AND bytes_before < $2) RETURNING id, payload, points";

  /**
   * What a flush holds per point it takes, with room for the garbage it makes: decoded points,
   * their chunk bytes and log bytes, about 70 bytes retained (measured with 100,000 series).
   */
  private static final long HEAP_BYTES_PER_FLUSHED_POINT = 320;

  /** Series rows from their definitions, with the times of the flushed points. */
  private static final String UPSERT_SERIES =
      "INSERT INTO metric_series AS s (tenant, series_id, name, labels, type, temporality, unit,"
          + " description, first_time, last_time, last_bound)"
          + " SELECT d.tenant, d.series_id, d.name, d.labels, d.type, d.temporality, d.unit,"
          + " d.description, u.first_time, u.last_time, u.last_bound FROM unnest($1::text[],"
          + " $2::int8[], $3::int8[], $4::int8[], $5::int8[]) AS u(tenant, series_id, first_time,"
          + " last_time, last_bound) JOIN metric_definitions d ON d.tenant = u.tenant"
          + " AND d.series_id = u.series_id"
          + " ON CONFLICT (tenant, series_id) DO UPDATE SET type = excluded.type,"
          + " temporality = excluded.temporality, unit = excluded.unit,"
          + " description = excluded.description,"
          + " first_time = least(s.first_time, excluded.first_time),"
          + " last_time = greatest(s.last_time, excluded.last_time),"
          + " last_bound = greatest(s.last_bound, excluded.last_bound)"
          + " WHERE s.type <> excluded.type OR s.temporality <> excluded.temporality"
          + " OR s.unit <> excluded.unit OR s.description <> excluded.description"
          + " OR excluded.first_time < s.first_time OR excluded.last_time > s.last_bound";

  private static final String TAKE_FOR_MERGE =
      "DELETE FROM metric_chunks WHERE window_start >= $5 AND window_start <= $6"
          + " AND (tenant, series_id, window_start, level) IN (SELECT * FROM unnest($1::text[],"
          + " $2::int8[], $3::int8[], $4::int2[])) RETURNING tenant, series_id, window_start, level,"
          + " seq, id, data";

  private final PgClient client;
  private final String schema;
  private final PostgresOptions.MetricOptions options;
  private final Object lock = new Object();

  /** What this process flushed or merged per series window: chunks per level. */
  private final Map<Group, int[]> levels = new HashMap<>();

  private Future<Void> tail = Future.succeededFuture();
  private Promise<Void> queuedFlush;
  private volatile boolean active;
  private long timer = -1;

  record Group(String tenant, long seriesId, long windowStart) {}

  /** Points one flush transaction takes at most: the setting, or less when the heap is small. */
  private final int pointsPerFlush;

  /** Log bytes one flush transaction takes at most: a tenth of the heap (held about twice). */
  private final long bytesPerFlush;

  MetricWriter(PgClient client, String schema, PostgresOptions.MetricOptions options) {
    this.client = client;
    this.schema = schema;
    this.options = options;
    this.pointsPerFlush =
        pointsPerFlush(options.maxPointsPerFlush(), Runtime.getRuntime().maxMemory());
    this.bytesPerFlush = Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 10);
  }

  /**
   * The setting, bounded by what the heap holds: a flush of 2,000,000 points in a 256 MB aggregator
   * ran out of memory; a flush that takes less just pays its per-series costs more often.
   */
  static int pointsPerFlush(int setting, long maxHeapBytes) {
    long heapBound = Math.max(10_000, maxHeapBytes / HEAP_BYTES_PER_FLUSHED_POINT);
    return (int) Math.min(setting, heapBound);
  }

  /** This process writes metrics: flush periodically from now on. */
  void activate() {
    if (active) {
      return;
    }
    synchronized (lock) {
      if (active || !client.isOpen()) {
        return;
      }
      active = true;
      timer =
          client
              .vertx()
              .setPeriodic(
                  options.flushInterval().toMillis(),
                  id ->
                      flush()
                          .onFailure(
                              failure ->
                                  LOG.log(
                                      System.Logger.Level.WARNING,
                                      "periodic metric flush failed: " + failure.getMessage())));
    }
  }

  boolean isActive() {
    return active;
  }

  void stop() {
    synchronized (lock) {
      if (timer >= 0 && client.isOpen()) {
        client.vertx().cancelTimer(timer);
      }
      timer = -1;
      active = false;
    }
  }

  /**
   * Flushes everything logged before this call, then compacts what is due; completes when the flush
   * committed. Calls while another flush waits to start share it (it covers them too).
   */
  Future<Void> flush() {
    synchronized (lock) {
      if (queuedFlush != null) {
        return queuedFlush.future();
      }
      Promise<Void> flush = Promise.promise();
      queuedFlush = flush;
      enqueue(
          () -> {
            synchronized (lock) {
              queuedFlush = null;
            }
            Pool pool;
            Future<Void> flushed;
            try {
              pool = client.vertxPool();
              flushed = flushAll(pool);
            } catch (RuntimeException e) {
              flush.fail(e);
              return Future.failedFuture(e);
            }
            flushed.onComplete(flush);
            return flushed.compose(done -> compact(pool));
          });
      return flush.future();
    }
  }

  /** Runs {@code operation} after every operation queued before it, failed or not. */
  Future<Void> enqueue(Supplier<Future<Void>> operation) {
    synchronized (lock) {
      Future<Void> next =
          tail.transform(
              ignored -> {
                try {
                  return operation.get();
                } catch (RuntimeException e) {
                  return Future.failedFuture(e);
                }
              });
      tail = next.recover(ignored -> Future.succeededFuture());
      return next;
    }
  }

  /** Flushes until a flush takes less than it may (the log is then drained up to that point). */
  private Future<Void> flushAll(Pool pool) {
    return pool.withTransaction(this::flushOnce)
        .compose(
            taken ->
                taken.rows() < MAX_LOG_ROWS_PER_FLUSH
                        && taken.points() < pointsPerFlush
                        && taken.bytes() < bytesPerFlush
                    ? Future.succeededFuture()
                    : flushAll(pool));
  }

  /** Log rows one flush takes at most, however few points they hold. */
  private static final int MAX_LOG_ROWS_PER_FLUSH = 20_000;

  private record Taken(int rows, long points, long bytes) {}

  /**
   * One transaction: takes the oldest log rows up to {@link #pointsPerFlush} points and {@link
   * #bytesPerFlush} bytes (records written before schema version 6 hold ~90 bytes a point).
   */
  private Future<Taken> flushOnce(SqlConnection connection) {
    return AdvisoryLocks.lock(connection, "metrics", schema)
        .compose(
            locked ->
                connection
                    .preparedQuery(TAKE_LOG)
                    .execute(
                        Tuple.of((long) pointsPerFlush, bytesPerFlush, MAX_LOG_ROWS_PER_FLUSH)))
        .compose(
            rows -> {
              if (rows.rowCount() == 0) {
                return Future.succeededFuture(new Taken(0, 0, 0));
              }
              TreeMap<Long, byte[]> log = new TreeMap<>();
              long points = 0;
              long bytes = 0;
              for (Row row : rows) {
                byte[] payload = row.getBuffer(1).getBytes();
                log.put(row.getLong(0), payload);
                points += row.getInteger(2);
                bytes += payload.length;
              }
              Taken taken = new Taken(rows.rowCount(), points, bytes);
              return connection
                  .query("SELECT nextval('metric_flush_seq')")
                  .execute()
                  .compose(
                      seqRows -> {
                        long seq = seqRows.iterator().next().getLong(0);
                        return store(connection, log, seq).map(taken);
                      });
            });
  }

  /**
   * Per series: its points in log order — almost always by time already, so a list (no map entry,
   * no boxed time per point: a flush holds up to millions) — and, from a log record written before
   * schema version 6, its latest definition.
   */
  private static final class Pending {
    final long id;

    /** The latest of its series in a record written before schema version 6, if any. */
    WalRecord.SeriesPoints legacy;

    List<MetricPoint> points = new ArrayList<>(4);

    Pending(long id) {
      this.id = id;
    }

    boolean ordered = true;

    void add(MetricPoint point) {
      if (!points.isEmpty() && point.timeUnixNanos() <= points.getLast().timeUnixNanos()) {
        ordered = false;
      }
      points.add(point);
    }

    /** The points by strictly increasing time, a later one winning at the same time. */
    List<MetricPoint> byTime() {
      if (!ordered) {
        TreeMap<Long, MetricPoint> byTime = new TreeMap<>();
        for (MetricPoint point : points) {
          byTime.put(point.timeUnixNanos(), point);
        }
        points = new ArrayList<>(byTime.values());
        ordered = true;
      }
      return points;
    }
  }

  /**
   * Series one batch of statements of a flush covers by default: a flush's memory is mostly per
   * series it holds a chunk, rollup plans and statement parameters for (about 1.5 KB each), so they
   * are made and sent a batch at a time, and each batch's points are let go once sent.
   */
  static final int SERIES_PER_BATCH = 10_000;

  private Future<Void> store(SqlConnection connection, TreeMap<Long, byte[]> log, long seq) {
    long started = System.nanoTime();
    int logRows = log.size();
    Map<Group, Pending> bySeries = new LinkedHashMap<>();
    for (byte[] payload : log.values()) {
      for (WalRecord.SeriesPoints sp : WalRecord.decode(payload)) {
        Pending pending =
            bySeries.computeIfAbsent(
                new Group(sp.tenant(), sp.id(), 0), k -> new Pending(k.seriesId()));
        if (sp.definitionAt() >= 0) {
          pending.legacy = sp;
        }
        for (MetricPoint point : sp.points()) {
          pending.add(point);
        }
      }
    }
    log.clear(); // decoded: the bytes can go
    List<Map.Entry<Group, Pending>> series = new ArrayList<>(bySeries.entrySet());
    int[] chunkCount = {0};
    Future<Void> done = Future.succeededFuture();
    int perBatch = options.flushBatchSeries();
    for (int from = 0; from < series.size(); from += perBatch) {
      List<Map.Entry<Group, Pending>> batch =
          series.subList(from, Math.min(series.size(), from + perBatch));
      done =
          done.compose(
              x ->
                  storeBatch(connection, batch, seq)
                      .map(
                          n -> {
                            chunkCount[0] += n;
                            return null;
                          }));
    }
    return done.onSuccess(
        x ->
            LOG.log(
                System.Logger.Level.DEBUG,
                () ->
                    String.format(
                        "metric flush %d: %d log rows, %d series, %d chunks in %d ms",
                        seq,
                        logRows,
                        series.size(),
                        chunkCount[0],
                        (System.nanoTime() - started) / 1_000_000)));
  }

  /** Stores a batch of a flush's series: chunks, rollups, series rows; answers the chunks made. */
  private Future<Integer> storeBatch(
      SqlConnection connection, List<Map.Entry<Group, Pending>> batch, long seq) {
    List<Chunk> chunks = new ArrayList<>();
    List<RollupWriter.Flushed> flushed = new ArrayList<>(batch.size());
    List<Pending> pendings = new ArrayList<>(batch.size());
    List<Group> groups = new ArrayList<>(batch.size());
    for (Map.Entry<Group, Pending> entry : batch) {
      Group group = entry.getKey();
      Pending pending = entry.getValue();
      chunks.addAll(
          Chunk.of(
              group.tenant(),
              group.seriesId(),
              seq,
              (short) 0,
              pending.byTime(),
              options.maxChunkPoints()));
      flushed.add(new RollupWriter.Flushed(group.tenant(), group.seriesId(), pending.points));
      pendings.add(pending);
      groups.add(group);
    }
    // Rollups before the series rows: a series stored before rollups existed is told by its row.
    return legacyDefinitions(connection, pendings)
        .compose(defined -> Chunk.insert(connection, chunks))
        .compose(inserted -> RollupWriter.rollUp(connection, flushed))
        .compose(states -> upsertSeries(connection, groups, pendings, states))
        .map(
            stored -> {
              synchronized (levels) {
                for (Chunk chunk : chunks) {
                  count(chunk, 1);
                }
              }
              for (Pending pending : pendings) {
                pending.points = null;
              }
              return chunks.size();
            });
  }

  private void count(Chunk chunk, int delta) {
    if (chunk.level() == Chunk.FULL) {
      return;
    }
    int[] counts =
        levels.computeIfAbsent(
            new Group(chunk.tenant(), chunk.seriesId(), chunk.windowStart()), g -> new int[16]);
    counts[Math.min(chunk.level(), counts.length - 1)] += delta;
  }

  /** Stores the definitions that log records written before schema version 6 carried. */
  private static Future<Void> legacyDefinitions(
      SqlConnection connection, Collection<Pending> pendings) {
    List<WalRecord.Defined> legacy = new ArrayList<>();
    for (Pending pending : pendings) {
      if (pending.legacy != null) {
        legacy.add(new WalRecord.Defined(pending.id, pending.legacy.legacyDefinition()));
        pending.legacy = null;
      }
    }
    if (legacy.isEmpty()) {
      return Future.succeededFuture();
    }
    return connection
        .preparedQuery(SeriesDefinitions.UPSERT)
        .execute(Tuple.from(SeriesDefinitions.parameters(legacy)))
        .mapEmpty();
  }

  /**
   * Creates or updates the series rows the flushed points need: a missing row, metadata that
   * changed, points before the row's first time or after its bound — from the series' definitions.
   * Most flushes of a steady series need none of that, and skip it without sending anything.
   */
  private static Future<Void> upsertSeries(
      SqlConnection connection,
      List<Group> groups,
      List<Pending> pendings,
      RollupWriter.SeriesState[] states) {
    List<Integer> changing = new ArrayList<>();
    for (int p = 0; p < pendings.size(); p++) {
      Pending pending = pendings.get(p);
      RollupWriter.SeriesState state = states[p];
      if (!state.defined()) {
        // Never a row without a definition (written with the log record): fail rather than store
        // points no read can find.
        return Future.failedFuture(
            new IllegalStateException(
                "no definition stored for metric series " + pending.id + " being flushed"));
      }
      if (!state.exists()
          || state.changed()
          || pending.points.getFirst().timeUnixNanos() < state.firstTime()
          || pending.points.getLast().timeUnixNanos() > state.lastBound()) {
        changing.add(p);
      }
    }
    int n = changing.size();
    if (n == 0) {
      return Future.succeededFuture();
    }
    String[] tenants = new String[n];
    Long[] ids = new Long[n];
    Long[] firsts = new Long[n];
    Long[] lasts = new Long[n];
    Long[] bounds = new Long[n];
    for (int i = 0; i < n; i++) {
      int p = changing.get(i);
      Pending pending = pendings.get(p);
      tenants[i] = NulEscape.escape(groups.get(p).tenant());
      ids[i] = pending.id;
      firsts[i] = pending.points.getFirst().timeUnixNanos();
      lasts[i] = pending.points.getLast().timeUnixNanos();
      long last = lasts[i];
      bounds[i] = last > Long.MAX_VALUE - BOUND_NANOS ? Long.MAX_VALUE : last + BOUND_NANOS;
    }
    return connection
        .preparedQuery(UPSERT_SERIES)
        .execute(Tuple.from(new Object[] {tenants, ids, firsts, lasts, bounds}))
        .mapEmpty();
  }

  // ------------------------------------------------------------------ compaction

  /** Merges due series windows, a bounded number per transaction, until none is due. */
  private Future<Void> compact(Pool pool) {
    List<Group> groups = new ArrayList<>();
    List<Short> groupLevels = new ArrayList<>();
    synchronized (levels) {
      long stale = Chunk.windowOf(System.currentTimeMillis() * 1_000_000L) - 3 * Chunk.WINDOW_NANOS;
      Iterator<Map.Entry<Group, int[]>> each = levels.entrySet().iterator();
      while (each.hasNext() && groups.size() < 500) {
        Map.Entry<Group, int[]> entry = each.next();
        int[] counts = entry.getValue();
        boolean due = false;
        for (short level = 0; level < counts.length - 1; level++) {
          if (counts[level] >= options.compactionFanIn()) {
            groups.add(entry.getKey());
            groupLevels.add(level);
            counts[level] = 0;
            due = true;
            break;
          }
        }
        if (!due && entry.getKey().windowStart() < stale) {
          // This process no longer flushes into that window: stop tracking it.
          each.remove();
        }
      }
    }
    if (groups.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(connection -> merge(connection, groups, groupLevels))
        .compose(done -> compact(pool));
  }

  private Future<Void> merge(SqlConnection connection, List<Group> groups, List<Short> levelsOf) {
    int n = groups.size();
    String[] tenants = new String[n];
    Long[] series = new Long[n];
    Long[] windows = new Long[n];
    Short[] groupLevels = new Short[n];
    long minWindow = Long.MAX_VALUE;
    long maxWindow = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      Group g = groups.get(i);
      tenants[i] = NulEscape.escape(g.tenant());
      series[i] = g.seriesId();
      windows[i] = g.windowStart();
      groupLevels[i] = levelsOf.get(i);
      minWindow = Math.min(minWindow, g.windowStart());
      maxWindow = Math.max(maxWindow, g.windowStart());
    }
    long lo = minWindow;
    long hi = maxWindow;
    return AdvisoryLocks.lock(connection, "metrics", schema)
        .compose(
            locked ->
                connection
                    .preparedQuery(TAKE_FOR_MERGE)
                    .execute(
                        Tuple.from(new Object[] {tenants, series, windows, groupLevels, lo, hi})))
        .compose(
            rows -> {
              // Per group and level: the chunks in seq order, a later one winning at a time.
              Map<List<Object>, List<Object[]>> taken = new LinkedHashMap<>();
              for (Row row : rows) {
                List<Object> key =
                    List.of(
                        NulEscape.unescape(row.getString(0)),
                        row.getLong(1),
                        row.getLong(2),
                        row.getShort(3));
                taken
                    .computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new Object[] {row.getLong(4), row.getLong(5), row.getBuffer(6)});
              }
              List<Chunk> merged = new ArrayList<>();
              for (Map.Entry<List<Object>, List<Object[]>> entry : taken.entrySet()) {
                List<Object[]> chunks = entry.getValue();
                chunks.sort(
                    (a, b) ->
                        a[0].equals(b[0])
                            ? Long.compare((long) a[1], (long) b[1])
                            : Long.compare((long) a[0], (long) b[0]));
                TreeMap<Long, MetricPoint> points = new TreeMap<>();
                long seq = Long.MIN_VALUE;
                for (Object[] chunk : chunks) {
                  seq = Math.max(seq, (long) chunk[0]);
                  for (MetricPoint p : PointCodec.decode(((Buffer) chunk[2]).getBytes())) {
                    points.put(p.timeUnixNanos(), p);
                  }
                }
                List<Object> key = entry.getKey();
                short level = (short) ((short) key.get(3) + 1);
                merged.addAll(
                    Chunk.of(
                        (String) key.get(0),
                        (long) key.get(1),
                        seq,
                        level,
                        new ArrayList<>(points.values()),
                        options.maxChunkPoints()));
              }
              return Chunk.insert(connection, merged)
                  .onSuccess(
                      done -> {
                        synchronized (levels) {
                          merged.forEach(chunk -> count(chunk, 1));
                        }
                      });
            });
  }
}
