package dev.sextant.storage.clickhouse;

import com.clickhouse.client.api.Client;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Temporality;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesOrder;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.StepSampling;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Series in {@code series} (one row per series and metadata change), points in {@code samples} (one
 * row per point, sorted by tenant, series and time; a {@code ReplacingMergeTree}, so the later
 * write of a (series, time) wins, and reads use {@code FINAL}). Points are readable as soon as
 * their write completes; rollups are computed from the points when read, by the SPI's own {@link
 * Rollups}, so they equal the reference by construction.
 */
final class ClickHouseMetricStore implements MetricStore {

  private static final List<String> SERIES_COLUMNS =
      List.of(
          "tenant",
          "series_id",
          "name",
          "labels",
          "metric_type",
          "temporality",
          "unit",
          "description",
          "version");

  private static final List<String> METADATA_COLUMNS =
      List.of("tenant", "name", "metric_type", "temporality", "unit", "description", "version");

  /** The series a write need not define again: their row holds exactly this metadata. */
  private static final int KNOWN_SERIES_CAP = 1_000_000;

  private final ClickHouseAccess access;
  private final Schema schema;
  private final VersionClock versions;
  private final SampleVersions sampleVersions = new SampleVersions();
  private final Map<SeriesKey, MetricSeries> known = new ConcurrentHashMap<>();

  private record SeriesKey(String tenant, long id) {}

  ClickHouseMetricStore(ClickHouseAccess access, Schema schema, VersionClock versions) {
    this.access = access;
    this.schema = schema;
    this.versions = versions;
  }

  /**
   * Series rows go first, on their own (only for series this process has not written with the same
   * metadata); the samples then go through the group commit ({@link ClickHouseAccess#insert}), so
   * the aggregator's concurrent batches become one part instead of one part each.
   */
  @Override
  public Uni<Void> write(List<MetricWrite> writes) {
    Map<SeriesKey, MetricSeries> newSeries = new LinkedHashMap<>();
    return access
        .run(
            "write metric series",
            c -> {
              if (writes.isEmpty()) {
                return null;
              }
              Map<SeriesKey, Map<Long, MetricPoint>> points = new LinkedHashMap<>();
              for (MetricWrite write : writes) {
                MetricSeries series = write.series();
                SeriesKey key = new SeriesKey(series.tenant(), series.id());
                if (!series.equals(known.get(key))) {
                  newSeries.put(key, series);
                }
                points
                    .computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .put(write.point().timeUnixNanos(), write.point());
              }
              if (!newSeries.isEmpty()) {
                access.insertBlocking(
                    c, schema.table(Schema.SERIES), SERIES_COLUMNS, seriesRows(newSeries.values()));
              }
              return sampleRows(points);
            })
        .chain(
            rows ->
                rows == null
                    ? Uni.createFrom().voidItem()
                    : access.insert(
                        "write metric points",
                        schema.table(Schema.SAMPLES),
                        SampleRows.COLUMNS,
                        rows))
        .invoke(
            () -> {
              if (known.size() > KNOWN_SERIES_CAP) {
                known.clear();
              }
              known.putAll(newSeries);
            });
  }

  /**
   * One row per point, the later write of a (series, time) in the batch having replaced the first.
   */
  private RowBinaryOutput sampleRows(Map<SeriesKey, Map<Long, MetricPoint>> points) {
    int count = points.values().stream().mapToInt(Map::size).sum();
    long version = sampleVersions.next();
    RowBinaryOutput rows = new RowBinaryOutput(64 * count);
    for (Map.Entry<SeriesKey, Map<Long, MetricPoint>> series : points.entrySet()) {
      for (MetricPoint point : series.getValue().values()) {
        SampleRows.write(rows, series.getKey().tenant(), series.getKey().id(), point, version);
      }
    }
    return rows;
  }

  private RowBinaryOutput seriesRows(Collection<MetricSeries> series) {
    long version = versions.next(series.size());
    RowBinaryOutput out = new RowBinaryOutput(128 * series.size());
    for (MetricSeries s : series) {
      out.string(s.tenant());
      out.int64(s.id());
      out.string(s.name());
      out.varint(s.labels().size());
      for (Map.Entry<String, String> label : s.labels().asMap().entrySet()) {
        out.string(label.getKey());
        out.string(label.getValue());
      }
      out.string(s.type().name());
      out.string(s.temporality().name());
      out.string(s.unit());
      out.string(s.description());
      out.int64(version++);
    }
    return out;
  }

  /** {@code time} within the range, as SQL with the parameters {@code from} and {@code to}. */
  private static String inRange(TimeRange range, Map<String, Object> parameters) {
    parameters.put("from", range.startUnixNanos());
    parameters.put("to", range.endUnixNanos());
    return " time >= fromUnixTimestamp64Nano({from:Int64})"
        + " AND time < fromUnixTimestamp64Nano({to:Int64})";
  }

  /**
   * The ids of the tenant's series with a point in the range, or a stored rollup window starting in
   * it (where retention removed the points and kept their rollups), as an IN condition.
   */
  private String seriesWithPoints(TimeRange range, Map<String, Object> parameters) {
    String windows =
        " WHERE tenant = {tenant:String}"
            + " AND window_start >= fromUnixTimestamp64Nano({from:Int64})"
            + " AND window_start < fromUnixTimestamp64Nano({to:Int64}))";
    return "(series_id IN (SELECT series_id FROM "
        + schema.table(Schema.SAMPLES)
        + " WHERE tenant = {tenant:String} AND"
        + inRange(range, parameters)
        + ") OR series_id IN (SELECT series_id FROM "
        + schema.table(Schema.ROLLUPS_1M)
        + windows
        + " OR series_id IN (SELECT series_id FROM "
        + schema.table(Schema.ROLLUPS_1H)
        + windows
        + ")";
  }

  @Override
  public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
    List<Long> ids = List.copyOf(seriesIds);
    String sql =
        "SELECT series_id, "
            + SampleRows.SELECT
            + " FROM "
            + schema.table(Schema.SAMPLES)
            + " FINAL WHERE tenant = {tenant:String} AND series_id IN {ids:Array(Int64)}"
            + " ORDER BY series_id, time DESC LIMIT 1 BY series_id";
    return access.run(
        "read the latest metric points",
        c -> {
          Map<Long, MetricPoint> latest = new HashMap<>();
          for (List<Long> batch : QueryParameters.idBatches(ids)) {
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("tenant", tenant);
            parameters.put("ids", batch);
            access.queryBlocking(
                c,
                sql,
                parameters,
                in -> {
                  while (in.hasMore()) {
                    long id = in.int64();
                    latest.put(id, SampleRows.read(in));
                  }
                  return null;
                });
          }
          return latest;
        });
  }

  @Override
  public Uni<List<String>> metricNames(String tenant, TimeRange range) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("tenant", tenant);
    String sql =
        "SELECT DISTINCT toString(name) AS n FROM "
            + schema.table(Schema.SERIES)
            + " FINAL WHERE tenant = {tenant:String} AND "
            + seriesWithPoints(range, parameters)
            + " ORDER BY n";
    return access.query(
        "read metric names",
        sql,
        parameters,
        in -> {
          List<String> names = new ArrayList<>();
          while (in.hasMore()) {
            names.add(in.string());
          }
          names.sort(null); // Java's order, which can differ from ClickHouse's bytewise one
          return names;
        });
  }

  @Override
  public Uni<List<MetricSeries>> series(SeriesQuery query) {
    Map<String, Object> parameters = new HashMap<>();
    String sql = seriesSql(query, true, parameters);
    return access.query(
        "read series", sql, parameters, in -> readMatching(query, in, series -> true));
  }

  /**
   * A PromQL selector's read in two statements on one pooled connection: the series of the name
   * from {@code series} alone (its sort key starts with tenant and name; reading their points
   * proves which have any, so the scan of {@code samples} and the rollup tables that {@link
   * #series} needs is skipped), then the points of the ones {@code read} accepts, with the time
   * range in the {@code WHERE} so only their granules in range are read. Series of numbers are read
   * sampled: only the points the selector uses leave ClickHouse ({@link #pointsSql}).
   */
  @Override
  public Uni<List<SeriesPoints>> seriesPoints(
      SeriesQuery query, StepSampling sampling, Predicate<MetricSeries> read) {
    Map<String, Object> parameters = new HashMap<>();
    String seriesSql = seriesSql(query, false, parameters);
    return access.run(
        "read series and their points",
        c -> {
          List<MetricSeries> wanted =
              access.queryBlocking(c, seriesSql, parameters, in -> readMatching(query, in, read));
          if (wanted.isEmpty()) {
            return List.of();
          }
          List<Long> numbers = new ArrayList<>();
          List<Long> others = new ArrayList<>();
          for (MetricSeries series : wanted) {
            (NUMBER_TYPES.contains(series.type()) ? numbers : others).add(series.id());
          }
          Set<Long> otherKinds = new HashSet<>();
          Map<Long, List<MetricPoint>> points =
              readNumbers(c, query.tenant(), numbers, query.range(), sampling, otherKinds);
          others.addAll(otherKinds);
          points.putAll(readPoints(c, query.tenant(), others, query.range()));
          return SeriesPoints.of(wanted, points);
        });
  }

  /** Metric types whose points are numbers, the ones {@link StepSampling} applies to. */
  private static final Set<MetricType> NUMBER_TYPES =
      EnumSet.of(
          MetricType.COUNTER, MetricType.UP_DOWN_COUNTER, MetricType.GAUGE, MetricType.UNKNOWN);

  /**
   * The points of the series in the range as one statement: whole sample rows, or for series of
   * {@code numbers} their number columns ({@link SampleRows#NUMBER_SELECT}) and only those {@link
   * StepSampling#needed} keeps: the rows within the window before a step time ({@code (last - ms) %
   * step}, the step time at or after a row being {@code last - k * step}), and with {@code
   * latestOnly} of those the newest of each step interval (grouped by the interval, the newest
   * row's columns by {@code argMax}, then ordered: faster here than sorting every row for {@code
   * LIMIT 1 BY}). {@code FINAL} makes a rewritten point one row before either is applied.
   */
  private String pointsSql(
      boolean numbers,
      String tenant,
      List<Long> ids,
      TimeRange range,
      StepSampling sampling,
      Map<String, Object> parameters) {
    parameters.put("tenant", tenant);
    parameters.put("ids", ids);
    String columns =
        !numbers
            ? SampleRows.SELECT
            : sampling.latestOnly() ? SampleRows.NUMBER_NEWEST_SELECT : SampleRows.NUMBER_SELECT;
    StringBuilder sql =
        new StringBuilder("SELECT series_id, ")
            .append(columns)
            .append(" FROM ")
            .append(schema.table(Schema.SAMPLES))
            .append(" FINAL WHERE tenant = {tenant:String} AND series_id IN {ids:Array(Int64)} AND")
            .append(inRange(range, parameters));
    if (sampling.all()) {
      return sql.append(" ORDER BY series_id, time").toString();
    }
    parameters.put("last", sampling.lastMs());
    parameters.put("step", sampling.stepMs());
    parameters.put("window", sampling.windowMs());
    String ms = "intDiv(toUnixTimestamp64Nano(time), 1000000)";
    sql.append(" AND ").append(ms).append(" <= {last:Int64} AND ");
    if (sampling.stepMs() == 0) {
      sql.append("{last:Int64} - ").append(ms).append(" <= {window:Int64}");
    } else {
      sql.append("({last:Int64} - ").append(ms).append(") % {step:Int64} <= {window:Int64}");
    }
    if (!sampling.latestOnly()) {
      return sql.append(" ORDER BY series_id, time").toString();
    }
    sql.append(" GROUP BY series_id");
    if (sampling.stepMs() > 0) {
      sql.append(", intDiv({last:Int64} - ").append(ms).append(", {step:Int64})");
    }
    return sql.append(" ORDER BY series_id, newest").toString();
  }

  /**
   * The tenant's series as {@link #readSeries} reads them. Equality on a value that is not empty
   * narrows the rows in ClickHouse; the reader then applies every matcher exactly as the SPI
   * defines it (Java regular expressions, missing labels as ""). With {@code provePoints}, only
   * series with a point (or a stored rollup window) in the range.
   */
  private String seriesSql(SeriesQuery query, boolean provePoints, Map<String, Object> parameters) {
    parameters.put("tenant", query.tenant());
    StringBuilder sql =
        new StringBuilder(
            "SELECT series_id, name, labels, metric_type, temporality, unit, description FROM "
                + schema.table(Schema.SERIES)
                + " FINAL WHERE tenant = {tenant:String}");
    if (provePoints) {
      sql.append(" AND ").append(seriesWithPoints(query.range(), parameters));
    }
    int i = 0;
    for (LabelMatcher matcher : query.matchers()) {
      if (matcher.type() != LabelMatcher.Type.EQUAL || matcher.value().isEmpty()) {
        continue;
      }
      String value = "lv" + i;
      parameters.put(value, matcher.value());
      if (LabelMatcher.METRIC_NAME.equals(matcher.name())) {
        sql.append(" AND name = {").append(value).append(":String}");
      } else {
        String name = "ln" + i;
        parameters.put(name, matcher.name());
        sql.append(" AND labels[{")
            .append(name)
            .append(":String}] = {")
            .append(value)
            .append(":String}");
      }
      i++;
    }
    return sql.toString();
  }

  /** The series the query matches and {@code accept} takes, in {@link SeriesOrder}. */
  private static List<MetricSeries> readMatching(
      SeriesQuery query, RowBinaryInput in, Predicate<MetricSeries> accept) {
    List<MetricSeries> found = new ArrayList<>();
    while (in.hasMore()) {
      MetricSeries series = readSeries(query.tenant(), in);
      if (query.matches(series) && accept.test(series)) {
        found.add(series);
      }
    }
    found.sort(SeriesOrder.INSTANCE);
    return found;
  }

  private static MetricSeries readSeries(String tenant, RowBinaryInput in) {
    in.int64(); // the id, which the identity determines
    String name = in.string();
    int labelCount = Math.toIntExact(in.varint());
    Map<String, String> labels = new TreeMap<>();
    for (int l = 0; l < labelCount; l++) {
      labels.put(in.string(), in.string());
    }
    return new MetricSeries(
        tenant,
        name,
        Labels.of(labels),
        MetricType.valueOf(in.string()),
        Temporality.valueOf(in.string()),
        in.string(),
        in.string());
  }

  @Override
  public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
    return points(tenant, List.of(seriesId), range)
        .map(found -> found.getOrDefault(seriesId, List.of()));
  }

  @Override
  public Uni<Map<Long, List<MetricPoint>>> points(
      String tenant, Collection<Long> seriesIds, TimeRange range) {
    List<Long> ids = List.copyOf(seriesIds);
    return access.run("read metric points", c -> readPoints(c, tenant, ids, range));
  }

  /**
   * The points of the series in the range, by series id, oldest first; {@link
   * QueryParameters#MAX_IDS} series a statement.
   */
  private Map<Long, List<MetricPoint>> readPoints(
      Client c, String tenant, List<Long> ids, TimeRange range) throws Exception {
    Map<Long, List<MetricPoint>> found = new HashMap<>();
    for (List<Long> batch : QueryParameters.idBatches(ids)) {
      Map<String, Object> parameters = new HashMap<>();
      String sql = pointsSql(false, tenant, batch, range, StepSampling.ALL, parameters);
      found.putAll(access.queryBlocking(c, sql, parameters, SampleRows::readById));
    }
    return found;
  }

  /**
   * {@link #readPoints} for series of numbers: their points' own columns only, and only the points
   * {@code sampling} keeps. A series found with a point of another kind is left out and added to
   * {@code otherKinds}, for the caller to read whole.
   */
  private Map<Long, List<MetricPoint>> readNumbers(
      Client c,
      String tenant,
      List<Long> ids,
      TimeRange range,
      StepSampling sampling,
      Set<Long> otherKinds)
      throws Exception {
    Map<Long, List<MetricPoint>> found = new HashMap<>();
    for (List<Long> batch : QueryParameters.idBatches(ids)) {
      Map<String, Object> parameters = new HashMap<>();
      String sql = pointsSql(true, tenant, batch, range, sampling, parameters);
      found.putAll(
          access.queryBlocking(
              c, sql, parameters, in -> SampleRows.readNumbersById(in, otherKinds)));
    }
    return found;
  }

  /**
   * Rollups as retention left them (ADR 0013): windows before the series' frozen boundary are the
   * ones stored when their points went ({@code rollups_1m}, {@code rollups_1h}); later ones are
   * computed from the points by the SPI's own {@link Rollups}, the first with the newest sample
   * before it (kept with the boundary once the points are gone); windows of a tier that retention
   * aged out are left out.
   */
  @Override
  public Uni<List<Rollup>> rollups(String tenant, long seriesId, RollupTier tier, TimeRange range) {
    TimeRange times = Rollups.sampleTimes(tier, range);
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("tenant", tenant);
    parameters.put("id", seriesId);
    parameters.put("stale", Long.toUnsignedString(Rollups.STALE_MARKER_BITS));
    parameters.put("gone", RollupMarks.gone(tier));
    String from = " FROM " + schema.table(Schema.SAMPLES) + " FINAL";
    String pointsSql =
        "SELECT "
            + SampleRows.SELECT
            + from
            + " WHERE tenant = {tenant:String} AND series_id = {id:Int64} AND"
            + " time >= fromUnixTimestamp64Nano({from:Int64})"
            + " AND time < fromUnixTimestamp64Nano({to:Int64})"
            + " ORDER BY time";
    // The window of the first point needs the series' sample before it (a counter's increase).
    String previousSql =
        "SELECT "
            + SampleRows.SELECT
            + from
            + " WHERE tenant = {tenant:String} AND series_id = {id:Int64}"
            + " AND time < fromUnixTimestamp64Nano({from:Int64})"
            + " AND NOT (kind = "
            + SampleRows.NUMBER
            + " AND reinterpretAsUInt64(value) = {stale:UInt64})"
            + " ORDER BY time DESC LIMIT 1";
    String marksSql =
        "SELECT kind, boundary, sample FROM "
            + schema.table(Schema.ROLLUP_MARKS)
            + " FINAL WHERE tenant = {tenant:String} AND series_id = {id:Int64}"
            + " AND kind IN ("
            + RollupMarks.FROZEN
            + ", {gone:UInt8})";
    String storedSql =
        "SELECT toUnixTimestamp64Nano(window_start), body FROM "
            + schema.table(RollupMarks.table(tier))
            + " FINAL WHERE tenant = {tenant:String} AND series_id = {id:Int64}"
            + " AND window_start >= fromUnixTimestamp64Nano({from:Int64})"
            + " AND window_start < fromUnixTimestamp64Nano({to:Int64})"
            + " ORDER BY window_start";
    return access.run(
        "read rollups",
        c -> {
          if (times.startUnixNanos() == times.endUnixNanos()) {
            return List.of();
          }
          RollupMarks.Series marks = RollupMarks.read(access, c, marksSql, parameters, tier);
          List<Rollup> out = new ArrayList<>();
          if (marks.frozenBefore() > times.startUnixNanos()) {
            Map<String, Object> stored = new HashMap<>(parameters);
            stored.put("from", times.startUnixNanos());
            stored.put("to", Math.min(times.endUnixNanos(), marks.frozenBefore()));
            out.addAll(
                access.queryBlocking(
                    c,
                    storedSql,
                    stored,
                    in -> {
                      List<Rollup> windows = new ArrayList<>();
                      while (in.hasMore()) {
                        long start = in.int64();
                        windows.add(RollupCodec.decode(start, in.bytes()));
                      }
                      return windows;
                    }));
          }
          long computeFrom = Math.max(times.startUnixNanos(), marks.frozenBefore());
          if (computeFrom < times.endUnixNanos()) {
            Map<String, Object> computed = new HashMap<>(parameters);
            computed.put("from", computeFrom);
            computed.put("to", times.endUnixNanos());
            List<MetricPoint> points = readPoints(c, pointsSql, computed);
            if (!points.isEmpty()) {
              List<MetricPoint> previous = readPoints(c, previousSql, computed);
              MetricPoint before =
                  previous.isEmpty() ? marks.sampleBeforeFrozen() : previous.getFirst();
              out.addAll(Rollups.compute(tier, before, points));
            }
          }
          long gone = marks.goneBefore();
          if (gone != Long.MIN_VALUE) {
            out.removeIf(r -> r.windowStartUnixNanos() + tier.nanos() <= gone);
          }
          return out;
        });
  }

  /** Stored rollups are complete wherever points went: they are made when the points go. */
  @Override
  public Uni<Long> rollupsCompleteBefore(String tenant) {
    return access.run("read rollup state", c -> Long.MAX_VALUE);
  }

  @Override
  public Uni<Long> pointsRemovedBefore(String tenant) {
    return access.query(
        "read where points were removed",
        "SELECT count(), max(boundary) FROM "
            + schema.table(Schema.ROLLUP_MARKS)
            + " FINAL WHERE tenant = {tenant:String} AND kind = "
            + RollupMarks.POINTS_REMOVED,
        Map.of("tenant", tenant),
        in -> {
          long count = in.int64();
          long boundary = in.int64();
          return count == 0 ? Long.MIN_VALUE : boundary;
        });
  }

  private List<MetricPoint> readPoints(Client c, String sql, Map<String, Object> parameters)
      throws Exception {
    return access.queryBlocking(
        c,
        sql,
        parameters,
        in -> {
          List<MetricPoint> points = new ArrayList<>();
          while (in.hasMore()) {
            points.add(SampleRows.read(in));
          }
          return points;
        });
  }

  @Override
  public Uni<Void> writeMetadata(List<MetricMetadata> metadata) {
    return access.run(
        "write metric metadata",
        c -> {
          if (metadata.isEmpty()) {
            return null;
          }
          Map<String, List<MetricMetadata>> byTenant = new LinkedHashMap<>();
          for (MetricMetadata m : metadata) {
            byTenant.computeIfAbsent(m.tenant(), t -> new ArrayList<>()).add(m);
          }
          List<MetricMetadata> merged = new ArrayList<>();
          for (Map.Entry<String, List<MetricMetadata>> tenant : byTenant.entrySet()) {
            Map<String, MetricMetadata> current = new LinkedHashMap<>();
            List<String> names =
                tenant.getValue().stream().map(MetricMetadata::name).distinct().toList();
            for (MetricMetadata stored : readMetadata(c, tenant.getKey(), names)) {
              current.put(stored.name(), stored);
            }
            Map<String, MetricMetadata> changed = new LinkedHashMap<>();
            for (MetricMetadata m : tenant.getValue()) {
              MetricMetadata before = current.get(m.name());
              // The first type and temporality stay; unit and description follow the latest.
              MetricMetadata after =
                  before == null
                      ? m
                      : new MetricMetadata(
                          m.tenant(),
                          m.name(),
                          before.type(),
                          before.receivedTemporality(),
                          m.unit(),
                          m.description());
              current.put(m.name(), after);
              if (!after.equals(before)) {
                changed.put(m.name(), after);
              }
            }
            merged.addAll(changed.values());
          }
          if (merged.isEmpty()) {
            return null;
          }
          long version = versions.next(merged.size());
          RowBinaryOutput out = new RowBinaryOutput(128 * merged.size());
          for (MetricMetadata m : merged) {
            out.string(m.tenant());
            out.string(m.name());
            out.string(m.type().name());
            out.string(m.receivedTemporality().name());
            out.string(m.unit());
            out.string(m.description());
            out.int64(version++);
          }
          access.insertBlocking(c, schema.table(Schema.METRIC_METADATA), METADATA_COLUMNS, out);
          return null;
        });
  }

  private List<MetricMetadata> readMetadata(Client c, String tenant, List<String> names)
      throws Exception {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("tenant", tenant);
    String sql =
        "SELECT tenant, name, metric_type, temporality, unit, description FROM "
            + schema.table(Schema.METRIC_METADATA)
            + " FINAL WHERE tenant = {tenant:String}";
    if (names != null) {
      parameters.put("names", names);
      sql += " AND name IN {names:Array(String)}";
    }
    return access.queryBlocking(
        c,
        sql + " ORDER BY name",
        parameters,
        in -> {
          List<MetricMetadata> found = new ArrayList<>();
          while (in.hasMore()) {
            found.add(
                new MetricMetadata(
                    in.string(),
                    in.string(),
                    MetricType.valueOf(in.string()),
                    Temporality.valueOf(in.string()),
                    in.string(),
                    in.string()));
          }
          return found;
        });
  }

  @Override
  public Uni<List<MetricMetadata>> metadata(String tenant, String name) {
    return access.run(
        "read metric metadata", c -> readMetadata(c, tenant, name == null ? null : List.of(name)));
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    String before = " WHERE time < fromUnixTimestamp64Nano({cutoff:Int64})";
    List<String> deletes = new ArrayList<>();
    deletes.add("DELETE FROM " + schema.local(Schema.SAMPLES) + schema.onCluster() + before);
    for (RollupTier tier : RollupTier.values()) {
      // Stored windows that ended by the cutoff.
      deletes.add(
          "DELETE FROM "
              + schema.local(RollupMarks.table(tier))
              + schema.onCluster()
              + " WHERE toUnixTimestamp64Nano(window_start) + "
              + tier.nanos()
              + " <= {cutoff:Int64}");
    }
    // Series and samples share a shard (both sharded by series id), so the local subqueries see
    // every point and stored window a series has.
    StringBuilder orphans =
        new StringBuilder(
            "DELETE FROM "
                + schema.local(Schema.SERIES)
                + schema.onCluster()
                + " WHERE (tenant, series_id) NOT IN (SELECT tenant, series_id FROM "
                + schema.local(Schema.SAMPLES)
                + ")");
    for (RollupTier tier : RollupTier.values()) {
      orphans
          .append(" AND (tenant, series_id) NOT IN (SELECT tenant, series_id FROM ")
          .append(schema.local(RollupMarks.table(tier)))
          .append(")");
    }
    deletes.add(orphans.toString());
    return access.countThenDelete(
        "delete old metric points",
        "SELECT count() FROM " + schema.table(Schema.SAMPLES) + " FINAL" + before,
        deletes,
        Map.of("cutoff", cutoffUnixNanos),
        known::clear);
  }
}
