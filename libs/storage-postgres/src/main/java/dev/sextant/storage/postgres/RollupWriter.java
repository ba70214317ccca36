package dev.sextant.storage.postgres;

import dev.sextant.model.MetricPoint;
import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rolls flushed points up into {@code metric_rollups_1m} and {@code metric_rollups_1h} (ADR 0016),
 * inside the flush's transaction and under its lock, so rollups are readable exactly when their
 * points are and no two flushes roll up at once.
 *
 * <p>Per series, {@code metric_rollup_frontiers} holds the newest sample rolled up. Points after it
 * — the common case — are rolled up with it as the previous sample and the first window is combined
 * with the stored one ({@link Rollups#combine}): sums are exact, so the result equals what the
 * points give. A point at or before it (late, or replacing one) changes its window and the windows
 * up to the frontier (as the previous sample of the next one): they are recomputed from the chunks
 * (which already hold the flushed points), from the hour of the first such point on, and replace
 * the stored ones; a window left with only stale markers goes. Windows before the tenant's raw
 * floor (retention removed their samples) are never recomputed: a point that arrives there stays a
 * raw sample only.
 *
 * <p>The window of each tier that holds the frontier is open: the frontier row keeps it (its {@code
 * minute} and {@code hour}), and it goes to the tier's table when the frontier moves past it
 * ({@link #settle}). So a flush writes a steady series' frontier row and its chunk, not two window
 * rows as well (at 100,000 series, those were a third of a flush). Readers of a tier take its table
 * and the open window of the frontier row ({@link #open}), the latter winning.
 */
final class RollupWriter {
  private RollupWriter() {}

  /** The frontier row's column that keeps a tier's open window; constant names, never data. */
  static String openColumn(RollupTier tier) {
    return switch (tier) {
      case ONE_MINUTE -> "minute";
      case ONE_HOUR -> "hour";
    };
  }

  /** The table of a tier; constant names, never data. */
  static String table(RollupTier tier) {
    return switch (tier) {
      case ONE_MINUTE -> "metric_rollups_1m";
      case ONE_HOUR -> "metric_rollups_1h";
    };
  }

  /** Points of one series a flush stored, by strictly increasing time. */
  record Flushed(String tenant, long seriesId, List<MetricPoint> points) {

    /** The points at or after {@code time}. */
    List<MetricPoint> from(long time) {
      int lo = 0;
      int hi = points.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (points.get(mid).timeUnixNanos() < time) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return points.subList(lo, points.size());
    }
  }

  /**
   * Per flushed series: its frontier, its series row and definition (the flush updates the row when
   * it must).
   */
  private static final String STATE =
      "SELECT u.i, f.time, f.sample, s.series_id IS NOT NULL, r.floor, f.minute, f.hour,"
          + " d.series_id IS NOT NULL, (d.type, d.temporality, d.unit, d.description)"
          + " IS DISTINCT FROM (s.type, s.temporality, s.unit, s.description), s.first_time,"
          + " s.last_bound FROM unnest($1::text[], $2::int8[]) WITH ORDINALITY"
          + " AS u(tenant, series_id, i)"
          + " LEFT JOIN metric_rollup_frontiers f ON f.tenant = u.tenant"
          + " AND f.series_id = u.series_id"
          + " LEFT JOIN metric_series s ON s.tenant = u.tenant AND s.series_id = u.series_id"
          + " LEFT JOIN metric_raw_floors r ON r.tenant = u.tenant"
          + " LEFT JOIN metric_definitions d ON d.tenant = u.tenant AND d.series_id = u.series_id";

  /** By key, one primary-key probe per series (a semi-join would scan the day's partition). */
  private static final String STORED =
      "SELECT r.tenant, r.series_id, r.window_start, r.data FROM unnest($1::text[], $2::int8[],"
          + " $3::int8[]) AS u(tenant, series_id, window_start) JOIN %s r ON r.tenant = u.tenant"
          + " AND r.series_id = u.series_id AND r.window_start = u.window_start";

  private static final String CLEAR =
      "DELETE FROM %s r USING unnest($1::text[], $2::int8[], $3::int8[], $4::int8[])"
          + " AS u(tenant, series_id, lo, hi) WHERE r.tenant = u.tenant"
          + " AND r.series_id = u.series_id AND r.window_start >= u.lo AND r.window_start < u.hi";

  private static final String UPSERT =
      "INSERT INTO %s (tenant, series_id, window_start, samples, data) SELECT * FROM"
          + " unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::bytea[])"
          + " ON CONFLICT (tenant, series_id, window_start) DO UPDATE"
          + " SET samples = excluded.samples, data = excluded.data";

  private static final String UPSERT_FRONTIERS =
      "INSERT INTO metric_rollup_frontiers (tenant, series_id, time, sample, minute, hour)"
          + " SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::bytea[], $5::bytea[],"
          + " $6::bytea[]) ON CONFLICT (tenant, series_id) DO UPDATE SET time = excluded.time,"
          + " sample = excluded.sample, minute = excluded.minute, hour = excluded.hour";

  private static final String NEWEST_HOUR_BEFORE =
      "SELECT window_start, data FROM metric_rollups_1h WHERE tenant = $1 AND series_id = $2"
          + " AND window_start < $3 ORDER BY window_start DESC LIMIT 1";

  /**
   * Series without a frontier (stored before rollups were), in key order after a cursor, with the
   * points their chunks hold (counted from the chunk rows, nothing decoded).
   */
  private static final String UNROLLED =
      "SELECT s.tenant, s.series_id, r.floor, (SELECT coalesce(sum(c.points), 0)::int8 FROM"
          + " metric_chunks c WHERE c.tenant = s.tenant AND c.series_id = s.series_id)"
          + " FROM metric_series s LEFT JOIN metric_raw_floors r"
          + " ON r.tenant = s.tenant WHERE %s NOT EXISTS (SELECT 1 FROM metric_rollup_frontiers f"
          + " WHERE f.tenant = s.tenant AND f.series_id = s.series_id)"
          + " ORDER BY s.tenant, s.series_id LIMIT $1";

  private static final String UNROLLED_FIRST = String.format(UNROLLED, "");
  private static final String UNROLLED_AFTER =
      String.format(UNROLLED, "(s.tenant, s.series_id) > ($2, $3) AND");

  /** What happens to one series' rollups. */
  private static final class Plan {
    final String tenant;
    final long seriesId;
    final long floor;
    MetricPoint frontier;
    long frontierTime = Long.MIN_VALUE;
    boolean hasFrontier;

    /**
     * Per tier, the open window (holding the frontier) as the frontier row keeps it; absent when
     * the row has none (then the tier's table holds the window, if anything does).
     */
    final Map<RollupTier, Rollup> current = new EnumMap<>(RollupTier.class);

    /** Append: the points after the frontier. */
    List<MetricPoint> appended;

    /** Recompute: the windows starting in [from, to) are computed from the chunks. */
    long from;

    long to;

    final Map<RollupTier, List<Rollup>> rollups = new EnumMap<>(RollupTier.class);

    /** The newest sample once this flush is stored: the frontier row's sample. */
    MetricPoint newFrontier;

    /** Per tier, the window holding the new frontier when the frontier row keeps it (open). */
    final Map<RollupTier, Rollup> open = new EnumMap<>(RollupTier.class);

    /** Per tier, the windows that go to the tier's table, oldest first. */
    final Map<RollupTier, List<Rollup>> closed = new EnumMap<>(RollupTier.class);

    Plan(String tenant, long seriesId, long floor) {
      this.tenant = tenant;
      this.seriesId = seriesId;
      this.floor = floor;
    }

    boolean recompute() {
      return appended == null;
    }
  }

  /**
   * A flushed series as the flush found it: whether it has a row in {@code metric_series} (and the
   * row's first time and bound), whether it has a definition, and whether the definition's metadata
   * differs from the row's.
   */
  record SeriesState(
      boolean exists, boolean defined, boolean changed, long firstTime, long lastBound) {}

  /**
   * Rolls up the points a flush just stored (their chunks are inserted already); answers the
   * flushed series' states as found, by the index of {@code flushed}.
   */
  static Future<SeriesState[]> rollUp(SqlConnection connection, List<Flushed> flushed) {
    SeriesState[] stored = new SeriesState[flushed.size()];
    if (flushed.isEmpty()) {
      return Future.succeededFuture(stored);
    }
    int n = flushed.size();
    String[] tenants = new String[n];
    Long[] ids = new Long[n];
    for (int i = 0; i < n; i++) {
      tenants[i] = NulEscape.escape(flushed.get(i).tenant());
      ids[i] = flushed.get(i).seriesId();
    }
    return connection
        .preparedQuery(STATE)
        .execute(Tuple.from(new Object[] {tenants, ids}))
        .compose(
            rows -> {
              List<Plan> plans = new ArrayList<>();
              for (Row row : rows) {
                int index = (int) (row.getLong(0) - 1);
                Flushed f = flushed.get(index);
                boolean exists = row.getBoolean(3);
                stored[index] =
                    new SeriesState(
                        exists,
                        row.getBoolean(7),
                        row.getBoolean(8),
                        exists ? row.getLong(9) : 0,
                        exists ? row.getLong(10) : 0);
                Long floorValue = row.getLong(4);
                Plan plan = plan(f, row, floorValue == null ? Long.MIN_VALUE : floorValue);
                if (plan != null) {
                  plans.add(plan);
                }
              }
              return store(connection, plans).map(stored);
            });
  }

  private static Plan plan(Flushed flushed, Row state, long floor) {
    List<MetricPoint> points = flushed.from(floor);
    Plan plan = new Plan(flushed.tenant(), flushed.seriesId(), floor);
    plan.hasFrontier = state.getLong(1) != null;
    boolean seriesExisted = state.getBoolean(3);
    if (points.isEmpty()) {
      // Only points before the raw floor: no rollup changes, but a new series still gets its
      // (empty) frontier, since a series without one is taken for one stored before rollups were.
      if (plan.hasFrontier || seriesExisted) {
        return null;
      }
      plan.appended = points;
      return plan;
    }
    if (plan.hasFrontier) {
      plan.frontierTime = state.getLong(1);
      Buffer sample = state.getBuffer(2);
      plan.frontier = sample == null ? null : RollupCodec.sample(sample.getBytes());
      if (plan.frontier != null) {
        current(plan, RollupTier.ONE_MINUTE, state.getBuffer(5));
        current(plan, RollupTier.ONE_HOUR, state.getBuffer(6));
      }
    }
    long first = points.getFirst().timeUnixNanos();
    long last = points.getLast().timeUnixNanos();
    if (!plan.hasFrontier && seriesExisted) {
      // Stored before rollups were (schema version 4): roll the whole series up from its chunks.
      plan.from = floor;
      plan.to = Long.MAX_VALUE;
    } else if (!plan.hasFrontier || first > plan.frontierTime) {
      plan.appended = points;
    } else {
      plan.from = Math.max(floor, RollupTier.ONE_HOUR.windowStart(first));
      long through = Math.max(last, plan.frontierTime);
      plan.to = through == Long.MAX_VALUE ? Long.MAX_VALUE : through + 1;
    }
    return plan;
  }

  private static void current(Plan plan, RollupTier tier, Buffer stored) {
    Rollup open = open(tier, plan.frontierTime, stored);
    if (open != null) {
      plan.current.put(tier, open);
    }
  }

  /** Stores the rollups of the plans: recomputes, combines, deletes, upserts, frontiers. */
  private static Future<Void> store(SqlConnection connection, List<Plan> plans) {
    Future<Void> done = Future.succeededFuture();
    for (Plan plan : plans) {
      if (plan.recompute()) {
        done = done.compose(x -> recompute(connection, plan));
      } else {
        for (RollupTier tier : RollupTier.values()) {
          plan.rollups.put(tier, Rollups.compute(tier, plan.frontier, plan.appended));
        }
      }
    }
    for (RollupTier tier : RollupTier.values()) {
      done = done.compose(x -> combine(connection, tier, plans));
    }
    done =
        done.map(
            x -> {
              plans.forEach(RollupWriter::settle);
              return null;
            });
    for (RollupTier tier : RollupTier.values()) {
      done =
          done.compose(x -> clear(connection, tier, plans))
              .compose(x -> upsert(connection, tier, plans));
    }
    return done.compose(x -> frontiers(connection, plans));
  }

  /** Reads the plan's range and its previous sample and computes its windows. */
  private static Future<Void> recompute(SqlClient client, Plan plan) {
    dev.sextant.storage.query.TimeRange range =
        new dev.sextant.storage.query.TimeRange(plan.from, plan.to);
    return ChunkReader.points(client, plan.tenant, new Long[] {plan.seriesId}, range)
        .compose(
            found ->
                previous(client, plan)
                    .map(
                        previous -> {
                          TreeMap<Long, MetricPoint> points =
                              found.getOrDefault(plan.seriesId, new TreeMap<>());
                          List<MetricPoint> all = new ArrayList<>(points.values());
                          for (RollupTier tier : RollupTier.values()) {
                            plan.rollups.put(tier, Rollups.compute(tier, previous, all));
                          }
                          plan.frontier = newestSample(all, previous);
                          return null;
                        }));
  }

  /**
   * The sample before the plan's range: the newest stored before it, or — where retention removed
   * the raw samples before the floor — the last sample of the newest hour window before it, if
   * later.
   */
  private static Future<MetricPoint> previous(SqlClient client, Plan plan) {
    Future<MetricPoint> raw =
        plan.from == Long.MIN_VALUE
            ? Future.succeededFuture(null)
            : ChunkReader.previousSample(client, plan.tenant, plan.seriesId, plan.from);
    if (plan.floor == Long.MIN_VALUE) {
      return raw;
    }
    return raw.compose(
        sample ->
            client
                .preparedQuery(NEWEST_HOUR_BEFORE)
                .execute(Tuple.of(NulEscape.escape(plan.tenant), plan.seriesId, plan.from))
                .map(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return sample;
                      }
                      Row row = rows.iterator().next();
                      MetricPoint last =
                          lastSample(RollupCodec.decode(row.getLong(0), bytes(row, 1)));
                      return sample == null || last.timeUnixNanos() > sample.timeUnixNanos()
                          ? last
                          : sample;
                    }));
  }

  /** Combines each appended series' first window with the stored rollup of that window. */
  private static Future<Void> combine(SqlClient client, RollupTier tier, List<Plan> plans) {
    List<Plan> combining = new ArrayList<>();
    for (Plan plan : plans) {
      List<Rollup> rollups = plan.rollups.get(tier);
      if (!plan.recompute()
          && plan.frontier != null
          && !rollups.isEmpty()
          && rollups.getFirst().windowStartUnixNanos() == tier.windowStart(plan.frontierTime)) {
        Rollup stored = plan.current.get(tier);
        if (stored != null) {
          rollups.set(0, Rollups.combine(stored, rollups.getFirst()));
        } else {
          combining.add(plan);
        }
      }
    }
    if (combining.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = combining.size();
    String[] tenants = new String[n];
    Long[] ids = new Long[n];
    Long[] windows = new Long[n];
    Map<Key, Plan> byKey = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Plan plan = combining.get(i);
      tenants[i] = NulEscape.escape(plan.tenant);
      ids[i] = plan.seriesId;
      windows[i] = plan.rollups.get(tier).getFirst().windowStartUnixNanos();
      byKey.put(new Key(tenants[i], ids[i]), plan);
    }
    return client
        .preparedQuery(String.format(STORED, table(tier)))
        .execute(Tuple.from(new Object[] {tenants, ids, windows}))
        .map(
            rows -> {
              for (Row row : rows) {
                Plan plan = byKey.get(new Key(row.getString(0), row.getLong(1)));
                List<Rollup> rollups = plan.rollups.get(tier);
                Rollup stored = RollupCodec.decode(row.getLong(2), bytes(row, 3));
                rollups.set(0, Rollups.combine(stored, rollups.getFirst()));
              }
              return null;
            });
  }

  private record Key(String escapedTenant, long seriesId) {}

  /** Deletes the stored windows of every recomputed range. */
  private static Future<Void> clear(SqlClient client, RollupTier tier, List<Plan> plans) {
    List<Plan> recomputed = plans.stream().filter(Plan::recompute).toList();
    if (recomputed.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = recomputed.size();
    String[] tenants = new String[n];
    Long[] ids = new Long[n];
    Long[] los = new Long[n];
    Long[] his = new Long[n];
    for (int i = 0; i < n; i++) {
      Plan plan = recomputed.get(i);
      tenants[i] = NulEscape.escape(plan.tenant);
      ids[i] = plan.seriesId;
      los[i] = plan.from; // an hour start, the floor, or MIN_VALUE: a window start of both tiers
      his[i] = plan.to;
    }
    return client
        .preparedQuery(String.format(CLEAR, table(tier)))
        .execute(Tuple.from(new Object[] {tenants, ids, los, his}))
        .mapEmpty();
  }

  private static Future<Void> upsert(SqlClient client, RollupTier tier, List<Plan> plans) {
    List<String> tenants = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<Long> windows = new ArrayList<>();
    List<Long> samples = new ArrayList<>();
    List<Buffer> data = new ArrayList<>();
    for (Plan plan : plans) {
      String tenant = NulEscape.escape(plan.tenant);
      for (Rollup rollup : plan.closed.get(tier)) {
        tenants.add(tenant);
        ids.add(plan.seriesId);
        windows.add(rollup.windowStartUnixNanos());
        samples.add(rollup.count());
        data.add(Buffer.buffer(RollupCodec.encode(rollup)));
      }
    }
    if (tenants.isEmpty()) {
      return Future.succeededFuture();
    }
    return client
        .preparedQuery(String.format(UPSERT, table(tier)))
        .execute(
            Tuple.from(
                new Object[] {
                  tenants.toArray(new String[0]),
                  ids.toArray(new Long[0]),
                  windows.toArray(new Long[0]),
                  samples.toArray(new Long[0]),
                  data.toArray(new Buffer[0])
                }))
        .mapEmpty();
  }

  private static Future<Void> frontiers(SqlClient client, List<Plan> plans) {
    int n = plans.size();
    String[] tenants = new String[n];
    Long[] ids = new Long[n];
    Long[] times = new Long[n];
    Buffer[] samples = new Buffer[n];
    Buffer[] minutes = new Buffer[n];
    Buffer[] hours = new Buffer[n];
    for (int i = 0; i < n; i++) {
      Plan plan = plans.get(i);
      MetricPoint frontier = plan.newFrontier;
      tenants[i] = NulEscape.escape(plan.tenant);
      ids[i] = plan.seriesId;
      times[i] = frontier == null ? Long.MIN_VALUE : frontier.timeUnixNanos();
      samples[i] = frontier == null ? null : Buffer.buffer(RollupCodec.sample(frontier));
      minutes[i] = encoded(plan.open.get(RollupTier.ONE_MINUTE));
      hours[i] = encoded(plan.open.get(RollupTier.ONE_HOUR));
    }
    if (n == 0) {
      return Future.succeededFuture();
    }
    return client
        .preparedQuery(UPSERT_FRONTIERS)
        .execute(Tuple.from(new Object[] {tenants, ids, times, samples, minutes, hours}))
        .mapEmpty();
  }

  private static Buffer encoded(Rollup rollup) {
    return rollup == null ? null : Buffer.buffer(RollupCodec.encode(rollup));
  }

  /**
   * Decides where each window of the plan goes. The window holding the new frontier is open: the
   * frontier row keeps it, and the tier's table gets it only once the frontier has moved past it,
   * so a steady series costs one row write per flush instead of three. A copy of an open window in
   * the table is stale; readers take the frontier row's ({@link #open}). When the frontier row
   * cannot keep the window (its rollup is unknown here), the window stays in the table.
   */
  private static void settle(Plan plan) {
    MetricPoint frontier =
        plan.recompute() ? plan.frontier : newestSample(plan.appended, plan.frontier);
    plan.newFrontier = frontier;
    for (RollupTier tier : RollupTier.values()) {
      List<Rollup> written = plan.rollups.get(tier);
      List<Rollup> closed = new ArrayList<>(written);
      Rollup open = null;
      Rollup previous = plan.current.get(tier);
      if (frontier != null) {
        long window = tier.windowStart(frontier.timeUnixNanos());
        if (!written.isEmpty() && written.getLast().windowStartUnixNanos() == window) {
          open = closed.removeLast();
        } else if (previous != null
            && (written.isEmpty() || written.getLast().windowStartUnixNanos() < window)
            && tier.windowStart(plan.frontierTime) == window) {
          open = previous;
        }
      }
      // An appending flush whose points all fall in later windows leaves the previous open window
      // untouched: it closes now, as the frontier row kept it. (A recompute rewrote it.)
      if (!plan.recompute()
          && previous != null
          && previous != open
          && (written.isEmpty()
              || written.getFirst().windowStartUnixNanos() != previous.windowStartUnixNanos())) {
        closed.addFirst(previous);
      }
      plan.open.put(tier, open);
      plan.closed.put(tier, closed);
    }
  }

  private static final String DROP_OPEN =
      "UPDATE metric_rollup_frontiers SET %1$s = NULL WHERE %1$s IS NOT NULL AND time < $3"
          + " AND ($1::text IS NULL OR tenant = $1)"
          + " AND ($2::int8[] IS NULL OR series_id = ANY($2::int8[]))";

  /**
   * Retention's part for open windows: drops the tier's open windows that start before {@code
   * before} (those retention deletes from the table), of a tenant (null: all) and of some of its
   * series (null: all); answers how many went. Run under the metric lock, so no flush writes back a
   * window it read before.
   */
  static Future<Integer> dropOpenBefore(
      SqlClient client, RollupTier tier, String tenant, Long[] seriesIds, long before) {
    return client
        .preparedQuery(String.format(DROP_OPEN, openColumn(tier)))
        .execute(
            Tuple.from(
                new Object[] {
                  tenant == null ? null : NulEscape.escape(tenant),
                  seriesIds,
                  tier.firstWindowFrom(before)
                }))
        .map(rows -> rows.rowCount());
  }

  /** Reads the open window of a tier a frontier row keeps (null: none). */
  static Rollup open(RollupTier tier, long frontierTime, Buffer stored) {
    return stored == null
        ? null
        : RollupCodec.decode(tier.windowStart(frontierTime), stored.getBytes());
  }

  /** The newest sample (not a stale marker) of the points, or {@code otherwise} if it is newer. */
  private static MetricPoint newestSample(List<MetricPoint> points, MetricPoint otherwise) {
    for (int i = points.size() - 1; i >= 0; i--) {
      MetricPoint point = points.get(i);
      if (!Rollups.isStaleMarker(point)) {
        return otherwise == null || point.timeUnixNanos() > otherwise.timeUnixNanos()
            ? point
            : otherwise;
      }
    }
    return otherwise;
  }

  private static MetricPoint lastSample(Rollup rollup) {
    return switch (rollup) {
      case dev.sextant.storage.rollup.NumberRollup r -> r.last();
      case dev.sextant.storage.rollup.HistogramRollup r -> r.last();
      case dev.sextant.storage.rollup.ExponentialHistogramRollup r -> r.last();
      case dev.sextant.storage.rollup.SummaryRollup r -> r.last();
    };
  }

  private static byte[] bytes(Row row, int column) {
    return row.getBuffer(column).getBytes();
  }

  // ------------------------------------------------------------------ upgrade

  /** Where a backfill stands: the last series it looked at, its tenant as stored (escaped). */
  record Cursor(String storedTenant, long seriesId) {}

  /** One backfill batch: the cursor after it, and whether series may be left after it. */
  record Backfilled(Cursor cursor, boolean more) {}

  /**
   * Rolls up at most {@code limit} series stored before rollups were (schema version 4), the first
   * ones after {@code after} (null: from the start) in key order, and no more than about {@code
   * maxPoints} of their points (at least one series), in one transaction under the metric lock:
   * each series' windows and frontier commit together, so a backfill stopped half way goes on where
   * it was, and a series rolled up meanwhile by a flush or another process is skipped.
   */
  static Future<Backfilled> backfill(
      Pool pool, String schema, Cursor after, int limit, long maxPoints) {
    return AdvisoryLocks.withMetricLock(
        pool,
        schema,
        connection ->
            (after == null
                    ? connection.preparedQuery(UNROLLED_FIRST).execute(Tuple.of(limit))
                    : connection
                        .preparedQuery(UNROLLED_AFTER)
                        .execute(Tuple.of(limit, after.storedTenant(), after.seriesId())))
                .compose(
                    rows -> {
                      List<Plan> plans = new ArrayList<>();
                      Cursor last = after;
                      long points = 0;
                      for (Row row : rows) {
                        points += row.getLong(3);
                        if (!plans.isEmpty() && points > maxPoints) {
                          break;
                        }
                        Long floor = row.getLong(2);
                        Plan plan =
                            new Plan(
                                NulEscape.unescape(row.getString(0)),
                                row.getLong(1),
                                floor == null ? Long.MIN_VALUE : floor);
                        plan.from = plan.floor;
                        plan.to = Long.MAX_VALUE;
                        plans.add(plan);
                        last = new Cursor(row.getString(0), row.getLong(1));
                      }
                      boolean more = plans.size() < rows.rowCount() || rows.rowCount() == limit;
                      Backfilled result = new Backfilled(last, more);
                      return store(connection, plans).map(result);
                    }));
  }
}
