package dev.sextant.storage.postgres;

import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Temporality;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesOrder;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Metric series and points (ADR 0012): a write is one {@code metric_wal} row, durable when its
 * insert committed; {@link MetricWriter} turns the log into chunks every flush interval (the
 * declared visibility lag), or at once on {@link #flush()}. Reads merge the chunks overlapping
 * their range ({@link ChunkReader}); rollups are stored by the same flush ({@link RollupWriter})
 * and read as stored.
 */
final class PgMetricStore implements MetricStore {
  private static final MetricType[] TYPES = MetricType.values();
  private static final Temporality[] TEMPORALITIES = Temporality.values();

  private static final String LOG_WRITE =
      "INSERT INTO metric_wal (tenants, points, payload) VALUES ($1, $2, $3)";

  static final String SERIES_COLUMNS =
      "series_id, name, labels::text, type, temporality, unit, description, first_time, last_time";

  private static final String WRITE_METADATA =
      "INSERT INTO metric_metadata AS m (tenant, name, type, temporality, unit, description)"
          + " SELECT * FROM unnest($1::text[], $2::text[], $3::int2[], $4::int2[], $5::text[],"
          + " $6::text[]) ON CONFLICT (tenant, name) DO UPDATE SET unit = excluded.unit,"
          + " description = excluded.description";

  private final PgClient client;
  private final MetricWriter writer;
  private final MetricRetention retention;
  private final RollupBackfill backfill;
  private final SeriesDefinitions definitions = new SeriesDefinitions();

  PgMetricStore(PgClient client, String schema, PostgresOptions options) {
    this.client = client;
    this.writer = new MetricWriter(client, schema, options.metrics());
    this.retention = new MetricRetention(client, schema, writer, options.deleteBatchRows());
    this.backfill =
        new RollupBackfill(
            client,
            schema,
            options.metrics().backfillBatchSeries(),
            MetricWriter.pointsPerFlush(
                options.metrics().maxPointsPerFlush(), Runtime.getRuntime().maxMemory()));
  }

  /** The background rollup of series stored before rollups were; started by the storage. */
  RollupBackfill backfill() {
    return backfill;
  }

  MetricWriter writer() {
    return writer;
  }

  @Override
  public Uni<Void> write(List<MetricWrite> writes) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (writes.isEmpty()) {
                return client.call("writing metrics", pool -> Future.succeededFuture());
              }
              WalRecord record = WalRecord.of(writes);
              String[] tenants = record.tenants().clone();
              for (int i = 0; i < tenants.length; i++) {
                tenants[i] = NulEscape.escape(tenants[i]);
              }
              Buffer payload = Buffer.buffer(record.payload());
              List<WalRecord.Defined> undefined = definitions.unknown(record.series());
              if (undefined.isEmpty()) {
                return client
                    .query(
                        "writing metrics", LOG_WRITE, Tuple.of(tenants, record.points(), payload))
                    .invoke(writer::activate)
                    .replaceWithVoid();
              }
              Object[] parameters = Arrays.copyOf(SeriesDefinitions.parameters(undefined), 11);
              parameters[8] = tenants;
              parameters[9] = record.points();
              parameters[10] = payload;
              return client
                  .query(
                      "writing metrics",
                      SeriesDefinitions.LOG_WITH_DEFINITIONS,
                      Tuple.from(parameters))
                  .invoke(
                      () -> {
                        definitions.stored(undefined);
                        writer.activate();
                      })
                  .replaceWithVoid();
            });
  }

  @Override
  public Uni<Void> startWriting() {
    return flush().invoke(writer::activate);
  }

  @Override
  public Uni<Void> flush() {
    return client.call("flushing metrics", pool -> writer.flush());
  }

  @Override
  public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
    Long[] ids = seriesIds.toArray(new Long[0]);
    if (ids.length == 0) {
      return client.call("reading latest points", pool -> Future.succeededFuture(Map.of()));
    }
    // Points still in the log count too: flush them first (a flush that already waits serves).
    return flush()
        .chain(
            () ->
                client.call(
                    "reading latest points", pool -> ChunkReader.latest(pool, tenant, ids)));
  }

  @Override
  public Uni<List<String>> metricNames(String tenant, TimeRange range) {
    return client.call(
        "listing metric names",
        pool ->
            pool.preparedQuery(
                    "SELECT name, series_id, first_time, last_time FROM metric_series"
                        + " WHERE tenant = $1 AND first_time < $2 AND last_bound >= $3")
                .execute(
                    Tuple.of(
                        NulEscape.escape(tenant), range.endUnixNanos(), range.startUnixNanos()))
                .compose(
                    rows -> {
                      TreeSet<String> names = new TreeSet<>();
                      Map<Long, String> undecided = new HashMap<>();
                      for (Row row : rows) {
                        String name = NulEscape.unescape(row.getString(0));
                        if (range.contains(row.getLong(2)) || range.contains(row.getLong(3))) {
                          names.add(name);
                        } else {
                          undecided.put(row.getLong(1), name);
                        }
                      }
                      undecided.values().removeIf(names::contains);
                      return withDataIn(
                              pool, tenant, undecided.keySet().toArray(new Long[0]), range)
                          .map(
                              found -> {
                                found.forEach(id -> names.add(undecided.get(id)));
                                return List.copyOf(names);
                              });
                    }));
  }

  @Override
  public Uni<List<MetricSeries>> series(SeriesQuery query) {
    return client.call(
        "finding series",
        pool -> {
          TimeRange range = query.range();
          Sql sql = new Sql();
          sql.append("SELECT ")
              .append(SERIES_COLUMNS)
              .append(" FROM metric_series WHERE tenant = ")
              .append(sql.param(NulEscape.escape(query.tenant())))
              .append(" AND first_time < ")
              .append(sql.param(range.endUnixNanos()))
              .append(" AND last_bound >= ")
              .append(sql.param(range.startUnixNanos()));
          // Equality matchers narrow the read; every matcher is then applied exactly in Java.
          for (LabelMatcher m : query.matchers()) {
            if (m.type() != LabelMatcher.Type.EQUAL || m.value().isEmpty()) {
              continue;
            }
            if (LabelMatcher.METRIC_NAME.equals(m.name())) {
              sql.append(" AND name = ").append(sql.param(NulEscape.escape(m.value())));
            } else {
              sql.append(" AND labels @> ")
                  .append(sql.param(PgJson.JSON.stringMap(Map.of(m.name(), m.value()))))
                  .append("::text::jsonb");
            }
          }
          return pool.preparedQuery(sql.text())
              .execute(sql.tuple())
              .compose(
                  rows -> {
                    List<MetricSeries> decided = new ArrayList<>();
                    Map<Long, MetricSeries> undecided = new LinkedHashMap<>();
                    for (Row row : rows) {
                      MetricSeries series = series(query.tenant(), row);
                      if (!query.matches(series)) {
                        continue;
                      }
                      if (range.contains(row.getLong(7)) || range.contains(row.getLong(8))) {
                        decided.add(series);
                      } else {
                        undecided.put(row.getLong(0), series);
                      }
                    }
                    return withDataIn(
                            pool, query.tenant(), undecided.keySet().toArray(new Long[0]), range)
                        .map(
                            found -> {
                              found.forEach(id -> decided.add(undecided.get(id)));
                              decided.sort(SeriesOrder.INSTANCE);
                              return List.copyOf(decided);
                            });
                  });
        });
  }

  /**
   * Series with a window starting in [$3, $4): in a tier's table, or open in their frontier row
   * (whose time is then in [$5, $6) for a minute window, [$7, $8) for an hour window).
   */
  private static final String ROLLUP_IN =
      "SELECT series_id FROM metric_rollups_1m WHERE tenant = $1 AND series_id = ANY($2::int8[])"
          + " AND window_start >= $3 AND window_start < $4 UNION SELECT series_id"
          + " FROM metric_rollups_1h WHERE tenant = $1 AND series_id = ANY($2::int8[])"
          + " AND window_start >= $3 AND window_start < $4 UNION SELECT series_id"
          + " FROM metric_rollup_frontiers WHERE tenant = $1 AND series_id = ANY($2::int8[])"
          + " AND ((minute IS NOT NULL AND time >= $5 AND time < $6)"
          + " OR (hour IS NOT NULL AND time >= $7 AND time < $8))";

  /**
   * The ids among {@code ids} with a point in the range, or — before the tenant's raw floor, where
   * retention removed samples and kept their rollups — a stored rollup window starting in it.
   */
  private static Future<Set<Long>> withDataIn(
      SqlClient client, String tenant, Long[] ids, TimeRange range) {
    return ChunkReader.withPointIn(client, tenant, ids, range)
        .compose(
            found -> {
              if (found.size() == ids.length) {
                return Future.succeededFuture(found);
              }
              return rawFloor(client, tenant)
                  .compose(
                      floor -> {
                        if (range.startUnixNanos() >= floor) {
                          return Future.succeededFuture(found);
                        }
                        Long[] rest =
                            Arrays.stream(ids)
                                .filter(id -> !found.contains(id))
                                .toArray(Long[]::new);
                        long start = range.startUnixNanos();
                        long end = Math.min(range.endUnixNanos(), floor);
                        RollupTier minute = RollupTier.ONE_MINUTE;
                        RollupTier hour = RollupTier.ONE_HOUR;
                        return client
                            .preparedQuery(ROLLUP_IN)
                            .execute(
                                Tuple.from(
                                    new Object[] {
                                      NulEscape.escape(tenant),
                                      rest,
                                      start,
                                      end,
                                      minute.firstWindowFrom(start),
                                      minute.firstWindowFrom(end),
                                      hour.firstWindowFrom(start),
                                      hour.firstWindowFrom(end)
                                    }))
                            .map(
                                rows -> {
                                  Set<Long> all = new HashSet<>(found);
                                  rows.forEach(row -> all.add(row.getLong(0)));
                                  return all;
                                });
                      });
            });
  }

  /** A series from a row of {@link #SERIES_COLUMNS}. */
  static MetricSeries series(String tenant, Row row) {
    return new MetricSeries(
        tenant,
        NulEscape.unescape(row.getString(1)),
        PgJson.JSON.readLabels(row.getString(2)),
        TYPES[row.getShort(3)],
        TEMPORALITIES[row.getShort(4)],
        NulEscape.unescape(row.getString(5)),
        NulEscape.unescape(row.getString(6)));
  }

  @Override
  public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
    return points(tenant, List.of(seriesId), range)
        .map(found -> found.getOrDefault(seriesId, List.of()));
  }

  @Override
  public Uni<Map<Long, List<MetricPoint>>> points(
      String tenant, Collection<Long> seriesIds, TimeRange range) {
    Long[] ids = new HashSet<>(seriesIds).toArray(new Long[0]);
    return client.call(
        "reading points",
        pool -> {
          if (ids.length == 0 || range.startUnixNanos() == range.endUnixNanos()) {
            return Future.succeededFuture(Map.of());
          }
          return ChunkReader.points(pool, tenant, ids, range)
              .map(
                  found -> {
                    Map<Long, List<MetricPoint>> points = new HashMap<>();
                    found.forEach((id, byTime) -> points.put(id, List.copyOf(byTime.values())));
                    return points;
                  });
        });
  }

  /** A tier's windows in the range from its table, then the frontier row (time, open window). */
  private static final String STORED_ROLLUPS =
      "SELECT window_start, data, false FROM %1$s WHERE tenant = $1 AND series_id = $2"
          + " AND window_start >= $3 AND window_start < $4 UNION ALL SELECT time, %2$s, true"
          + " FROM metric_rollup_frontiers WHERE tenant = $1 AND series_id = $2"
          + " AND %2$s IS NOT NULL";

  /**
   * The stored windows starting in the range: a flush rolls its points up as it stores them. A
   * series stored before rollups were and not yet rolled up by the backfill answers from its
   * chunks, as before the upgrade.
   */
  @Override
  public Uni<List<Rollup>> rollups(String tenant, long seriesId, RollupTier tier, TimeRange range) {
    return client.call(
        "reading rollups",
        pool ->
            backfill
                .rolledUp(pool, tenant, seriesId)
                .compose(
                    rolledUp ->
                        rolledUp
                            ? storedRollups(pool, tenant, seriesId, tier, range)
                            : computedRollups(pool, tenant, seriesId, tier, range)));
  }

  private static Future<List<Rollup>> storedRollups(
      SqlClient client, String tenant, long seriesId, RollupTier tier, TimeRange range) {
    String sql =
        String.format(STORED_ROLLUPS, RollupWriter.table(tier), RollupWriter.openColumn(tier));
    return client
        .preparedQuery(sql)
        .execute(
            Tuple.of(
                NulEscape.escape(tenant), seriesId, range.startUnixNanos(), range.endUnixNanos()))
        .map(
            rows -> {
              TreeMap<Long, Rollup> windows = new TreeMap<>();
              Rollup open = null;
              for (Row row : rows) {
                if (row.getBoolean(2)) {
                  open = RollupWriter.open(tier, row.getLong(0), row.getBuffer(1));
                  continue;
                }
                windows.put(
                    row.getLong(0),
                    RollupCodec.decode(row.getLong(0), row.getBuffer(1).getBytes()));
              }
              if (open != null && range.contains(open.windowStartUnixNanos())) {
                windows.put(open.windowStartUnixNanos(), open); // newer than a copy in the table
              }
              return new ArrayList<>(windows.values());
            });
  }

  /** The windows computed from the chunks, as schema version 4 answered. */
  private static Future<List<Rollup>> computedRollups(
      SqlClient client, String tenant, long seriesId, RollupTier tier, TimeRange range) {
    TimeRange times = Rollups.sampleTimes(tier, range);
    if (times.startUnixNanos() == times.endUnixNanos()) {
      return Future.succeededFuture(List.of());
    }
    return ChunkReader.points(client, tenant, new Long[] {seriesId}, times)
        .compose(
            found -> {
              TreeMap<Long, MetricPoint> points = found.get(seriesId);
              if (points == null) {
                return Future.succeededFuture(List.<Rollup>of());
              }
              return ChunkReader.previousSample(client, tenant, seriesId, times.startUnixNanos())
                  .map(
                      previous ->
                          Rollups.compute(tier, previous, new ArrayList<>(points.values())));
            });
  }

  /**
   * Every flushed point is rolled up by its flush, so once the log is flushed the rollups of every
   * stored sample are complete — but for series stored before rollups were, until the backfill
   * reached them; a point arriving later before retention's raw floor changes no rollup (see {@link
   * RollupWriter}).
   */
  @Override
  public Uni<Long> rollupsCompleteBefore(String tenant) {
    return flush()
        .chain(
            () ->
                client.call(
                    "reading the rollup backfill", pool -> backfill.rolledUpBefore(pool, tenant)));
  }

  @Override
  public Uni<Long> pointsRemovedBefore(String tenant) {
    return client.call("reading the raw floor", pool -> rawFloor(pool, tenant));
  }

  static Future<Long> rawFloor(SqlClient client, String tenant) {
    return client
        .preparedQuery("SELECT floor FROM metric_raw_floors WHERE tenant = $1")
        .execute(Tuple.of(NulEscape.escape(tenant)))
        .map(rows -> rows.rowCount() == 0 ? Long.MIN_VALUE : rows.iterator().next().getLong(0));
  }

  @Override
  public Uni<Void> writeMetadata(List<MetricMetadata> metadata) {
    return client.call(
        "writing metric metadata",
        pool -> {
          // One row per name (an upsert touches a row once): the first type and temporality, the
          // last unit and description, as consecutive writes would leave them.
          Map<List<String>, MetricMetadata> merged = new LinkedHashMap<>();
          for (MetricMetadata m : metadata) {
            merged.merge(
                List.of(m.tenant(), m.name()),
                m,
                (first, later) ->
                    new MetricMetadata(
                        first.tenant(),
                        first.name(),
                        first.type(),
                        first.receivedTemporality(),
                        later.unit(),
                        later.description()));
          }
          if (merged.isEmpty()) {
            return Future.succeededFuture();
          }
          int n = merged.size();
          String[] tenants = new String[n];
          String[] names = new String[n];
          Short[] types = new Short[n];
          Short[] temporalities = new Short[n];
          String[] units = new String[n];
          String[] descriptions = new String[n];
          int i = 0;
          for (MetricMetadata m : merged.values()) {
            tenants[i] = NulEscape.escape(m.tenant());
            names[i] = NulEscape.escape(m.name());
            types[i] = (short) m.type().ordinal();
            temporalities[i] = (short) m.receivedTemporality().ordinal();
            units[i] = NulEscape.escape(m.unit());
            descriptions[i] = NulEscape.escape(m.description());
            i++;
          }
          return pool.preparedQuery(WRITE_METADATA)
              .execute(
                  Tuple.from(
                      new Object[] {tenants, names, types, temporalities, units, descriptions}))
              .mapEmpty();
        });
  }

  @Override
  public Uni<List<MetricMetadata>> metadata(String tenant, String name) {
    Sql sql = new Sql();
    sql.append("SELECT name, type, temporality, unit, description FROM metric_metadata")
        .append(" WHERE tenant = ")
        .append(sql.param(NulEscape.escape(tenant)));
    if (name != null) {
      sql.append(" AND name = ").append(sql.param(NulEscape.escape(name)));
    }
    return client
        .query("reading metric metadata", sql.text(), sql.tuple())
        .map(
            rows -> {
              List<MetricMetadata> found = new ArrayList<>();
              for (Row row : rows) {
                found.add(
                    new MetricMetadata(
                        tenant,
                        NulEscape.unescape(row.getString(0)),
                        TYPES[row.getShort(1)],
                        TEMPORALITIES[row.getShort(2)],
                        NulEscape.unescape(row.getString(3)),
                        NulEscape.unescape(row.getString(4))));
              }
              found.sort(java.util.Comparator.comparing(MetricMetadata::name));
              return List.copyOf(found);
            });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return retention.deleteOlderThan(cutoffUnixNanos);
  }

  /** Flushes what this process logged and stops its periodic flushes (clean shutdown). */
  void close() {
    backfill.stop();
    if (writer.isActive() && client.isOpen()) {
      try {
        PgClient.await(writer.flush(), 30_000, "flushing metrics at close");
      } catch (RuntimeException e) {
        // The log keeps the points: the next writer's flush stores them.
        System.getLogger(PgMetricStore.class.getName())
            .log(System.Logger.Level.WARNING, "metric flush at close failed: " + e.getMessage());
      }
    }
    writer.stop();
  }
}
