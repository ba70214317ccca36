package dev.sextant.storage.sqlite;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.model.Temporality;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesOrder;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import io.smallrye.mutiny.Uni;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Series and points in {@code metrics.db}. */
final class SqliteMetricStore implements MetricStore {

  private static final String UPSERT_SERIES =
      "INSERT INTO series (tenant, series_id, name, labels, type, temporality, unit, description,"
          + " first_time, last_time) VALUES (?,?,?,?,?,?,?,?,?,?)"
          + " ON CONFLICT (tenant, series_id) DO UPDATE SET type = excluded.type,"
          + " temporality = excluded.temporality, unit = excluded.unit,"
          + " description = excluded.description,"
          + " first_time = min(first_time, excluded.first_time),"
          + " last_time = max(last_time, excluded.last_time)";
  private static final String UPSERT_POINT =
      "INSERT OR REPLACE INTO points (tenant, series_id, time, start_time, value, value_bits,"
          + " histogram) VALUES (?,?,?,?,?,?,?)";
  static final String POINTS =
      "SELECT start_time, time, value, value_bits, histogram FROM points"
          + " WHERE tenant = ? AND series_id = ? AND time >= ? AND time < ? ORDER BY time";
  private static final String HAS_POINT_IN_RANGE =
      " AND last_time >= ? AND first_time < ? AND EXISTS (SELECT 1 FROM points p"
          + " WHERE p.tenant = s.tenant AND p.series_id = s.series_id"
          + " AND p.time >= ? AND p.time < ?)";

  private final DatabaseAccess database;
  private final int deleteBatchRows;

  SqliteMetricStore(DatabaseAccess database, int deleteBatchRows) {
    this.database = database;
    this.deleteBatchRows = deleteBatchRows;
  }

  // ------------------------------------------------------------------ write

  /** One series touched by a write: its latest metadata and the times of its new points. */
  private static final class SeriesUpdate {
    MetricSeries series;
    final String labels;
    long firstTime = Long.MAX_VALUE;
    long lastTime = Long.MIN_VALUE;

    SeriesUpdate(MetricSeries series) {
      this.series = series;
      this.labels = AttributeJson.labels(series.labels());
    }
  }

  @Override
  public Uni<Void> write(List<MetricWrite> writes) {
    return database.write(
        () -> {
          Map<SeriesKey, SeriesUpdate> updates = new LinkedHashMap<>();
          for (MetricWrite write : writes) {
            MetricSeries series = write.series();
            SeriesUpdate update =
                updates.computeIfAbsent(
                    new SeriesKey(series.tenant(), series.id()), key -> new SeriesUpdate(series));
            update.series = series;
            long time = write.point().timeUnixNanos();
            update.firstTime = Math.min(update.firstTime, time);
            update.lastTime = Math.max(update.lastTime, time);
          }
          return new WriteMetrics(updates, writes);
        });
  }

  private record SeriesKey(String tenant, long id) {}

  private record WriteMetrics(Map<SeriesKey, SeriesUpdate> updates, List<MetricWrite> writes)
      implements WriteTask<Void> {
    @Override
    public int rows() {
      return writes.size() + updates.size();
    }

    @Override
    public Void apply(StatementCache statements) throws SQLException {
      if (writes.isEmpty()) {
        return null;
      }
      PreparedStatement series = statements.prepare(UPSERT_SERIES);
      for (Map.Entry<SeriesKey, SeriesUpdate> entry : updates.entrySet()) {
        SeriesUpdate update = entry.getValue();
        MetricSeries latest = update.series;
        series.setString(1, entry.getKey().tenant());
        series.setLong(2, entry.getKey().id());
        series.setString(3, latest.name());
        series.setString(4, update.labels);
        series.setString(5, latest.type().name());
        series.setString(6, latest.temporality().name());
        series.setString(7, latest.unit());
        series.setString(8, latest.description());
        series.setLong(9, update.firstTime);
        series.setLong(10, update.lastTime);
        series.addBatch();
      }
      series.executeBatch();

      PreparedStatement points = statements.prepare(UPSERT_POINT);
      for (MetricWrite write : writes) {
        points.setString(1, write.series().tenant());
        points.setLong(2, write.series().id());
        points.setLong(3, write.point().timeUnixNanos());
        points.setLong(4, write.point().startTimeUnixNanos());
        switch (write.point()) {
          case NumberPoint number -> {
            double value = number.value();
            // SQLite turns NaN into NULL and stores -0.0 as the integer 0: keep their bits.
            if (Double.isNaN(value) || Double.doubleToRawLongBits(value) == Long.MIN_VALUE) {
              points.setNull(5, Types.REAL);
              points.setLong(6, Double.doubleToRawLongBits(value));
            } else {
              points.setDouble(5, value);
              points.setNull(6, Types.INTEGER);
            }
            points.setNull(7, Types.BLOB);
          }
          case HistogramPoint histogram -> {
            points.setNull(5, Types.REAL);
            points.setNull(6, Types.INTEGER);
            points.setBytes(7, HistogramBlob.encode(histogram));
          }
          case ExponentialHistogramPoint ignored ->
              throw new StorageException(
                  Code.INVALID_ARGUMENT, "sqlite stores no exponential histograms yet");
          case SummaryPoint ignored ->
              throw new StorageException(Code.INVALID_ARGUMENT, "sqlite stores no summaries yet");
        }
        points.addBatch();
      }
      points.executeBatch();
      return null;
    }
  }

  // ------------------------------------------------------------------ read

  static final String LATEST_POINT =
      "SELECT start_time, time, value, value_bits, histogram FROM points"
          + " WHERE tenant = ? AND series_id = ? ORDER BY time DESC LIMIT 1";

  @Override
  public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
    return database.read(
        statements -> {
          PreparedStatement select = statements.prepare(LATEST_POINT);
          Map<Long, MetricPoint> latest = new HashMap<>();
          for (Long id : seriesIds) {
            select.setString(1, tenant);
            select.setLong(2, id);
            try (ResultSet rows = select.executeQuery()) {
              if (rows.next()) {
                latest.put(id, readPoint(rows));
              }
            }
          }
          return latest;
        });
  }

  private static final String UPSERT_METADATA =
      "INSERT INTO metadata (tenant, name, type, received_temporality, unit, description)"
          + " VALUES (?,?,?,?,?,?) ON CONFLICT (tenant, name) DO UPDATE SET unit = excluded.unit,"
          + " description = excluded.description";

  @Override
  public Uni<Void> writeMetadata(List<MetricMetadata> metadata) {
    return database.write(
        () ->
            new WriteTask<Void>() {
              @Override
              public int rows() {
                return metadata.size();
              }

              @Override
              public Void apply(StatementCache statements) throws SQLException {
                PreparedStatement upsert = statements.prepare(UPSERT_METADATA);
                for (MetricMetadata m : metadata) {
                  upsert.setString(1, m.tenant());
                  upsert.setString(2, m.name());
                  upsert.setString(3, m.type().name());
                  upsert.setString(4, m.receivedTemporality().name());
                  upsert.setString(5, m.unit());
                  upsert.setString(6, m.description());
                  upsert.executeUpdate();
                }
                return null;
              }
            });
  }

  @Override
  public Uni<List<MetricMetadata>> metadata(String tenant, String name) {
    return database.read(
        statements -> {
          PreparedStatement select =
              statements.prepare(
                  "SELECT name, type, received_temporality, unit, description FROM metadata"
                      + " WHERE tenant = ? AND (? IS NULL OR name = ?) ORDER BY name");
          select.setString(1, tenant);
          select.setString(2, name);
          select.setString(3, name);
          List<MetricMetadata> found = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              found.add(
                  new MetricMetadata(
                      tenant,
                      rows.getString(1),
                      MetricType.valueOf(rows.getString(2)),
                      Temporality.valueOf(rows.getString(3)),
                      rows.getString(4),
                      rows.getString(5)));
            }
          }
          return found;
        });
  }

  @Override
  public Uni<List<String>> metricNames(String tenant, TimeRange range) {
    return database.read(
        statements -> {
          List<Object> parameters = new ArrayList<>();
          StringBuilder sql =
              new StringBuilder("SELECT DISTINCT name FROM series s WHERE tenant = ?");
          parameters.add(tenant);
          appendRange(sql, parameters, range);
          sql.append(" ORDER BY name");
          PreparedStatement select = statements.prepare(sql.toString());
          Parameters.bind(select, parameters);
          List<String> names = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              names.add(rows.getString(1));
            }
          }
          return names;
        });
  }

  /**
   * Narrows series to those with a point in the range: first by their first/last times, then by a
   * point lookup on the primary key. Every stored series has a point, so ALL needs neither.
   */
  private static void appendRange(StringBuilder sql, List<Object> parameters, TimeRange range) {
    if (range.equals(TimeRange.ALL)) {
      return;
    }
    sql.append(HAS_POINT_IN_RANGE);
    parameters.add(range.startUnixNanos());
    parameters.add(range.endUnixNanos());
    parameters.add(range.startUnixNanos());
    parameters.add(range.endUnixNanos());
  }

  /**
   * Series by matchers: an equality matcher on the metric name narrows in SQL through the {@code
   * (tenant, name)} index; every matcher is then applied in Java, exactly as {@link
   * LabelMatcher#matches(String, dev.sextant.model.Labels)} says.
   */
  @Override
  public Uni<List<MetricSeries>> series(SeriesQuery query) {
    return database.read(
        statements -> {
          List<Object> parameters = new ArrayList<>();
          StringBuilder sql =
              new StringBuilder(
                  "SELECT name, labels, type, temporality, unit, description FROM series s"
                      + " WHERE tenant = ?");
          parameters.add(query.tenant());
          for (LabelMatcher matcher : query.matchers()) {
            if (matcher.name().equals(LabelMatcher.METRIC_NAME)
                && matcher.type() == LabelMatcher.Type.EQUAL) {
              sql.append(" AND name = ?");
              parameters.add(matcher.value());
            }
          }
          appendRange(sql, parameters, query.range());
          PreparedStatement select = statements.prepare(sql.toString());
          Parameters.bind(select, parameters);
          List<MetricSeries> found = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              MetricSeries series =
                  new MetricSeries(
                      query.tenant(),
                      rows.getString(1),
                      AttributeJson.readLabels(rows.getString(2)),
                      MetricType.valueOf(rows.getString(3)),
                      Temporality.valueOf(rows.getString(4)),
                      rows.getString(5),
                      rows.getString(6));
              if (query.matches(series)) {
                found.add(series);
              }
            }
          }
          found.sort(SeriesOrder.INSTANCE);
          return found;
        });
  }

  @Override
  public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
    return database.read(
        statements -> {
          PreparedStatement select = statements.prepare(POINTS);
          select.setString(1, tenant);
          select.setLong(2, seriesId);
          select.setLong(3, range.startUnixNanos());
          select.setLong(4, range.endUnixNanos());
          List<MetricPoint> points = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              points.add(readPoint(rows));
            }
          }
          return points;
        });
  }

  private static final String POINTS_BEFORE =
      "SELECT start_time, time, value, value_bits, histogram FROM points"
          + " WHERE tenant = ? AND series_id = ? AND time < ? ORDER BY time DESC";

  /** Computed from the stored points on every read, with {@link Rollups}. */
  @Override
  public Uni<List<Rollup>> rollups(String tenant, long seriesId, RollupTier tier, TimeRange range) {
    TimeRange times = Rollups.sampleTimes(tier, range);
    return points(tenant, seriesId, times)
        .chain(
            points ->
                database.read(
                    statements -> {
                      PreparedStatement select = statements.prepare(POINTS_BEFORE);
                      select.setString(1, tenant);
                      select.setLong(2, seriesId);
                      select.setLong(3, times.startUnixNanos());
                      MetricPoint previous = null;
                      try (ResultSet rows = select.executeQuery()) {
                        while (previous == null && rows.next()) {
                          MetricPoint before = readPoint(rows);
                          previous = Rollups.isStaleMarker(before) ? null : before;
                        }
                      }
                      return Rollups.compute(tier, previous, points);
                    }));
  }

  private static MetricPoint readPoint(ResultSet row) throws SQLException {
    long startTime = row.getLong(1);
    long time = row.getLong(2);
    byte[] histogram = row.getBytes(5);
    if (histogram != null) {
      return HistogramBlob.decode(startTime, time, histogram);
    }
    long bits = row.getLong(4);
    double value = row.wasNull() ? row.getDouble(3) : Double.longBitsToDouble(bits);
    return new NumberPoint(startTime, time, value);
  }

  // ------------------------------------------------------------------ retention

  /**
   * Deletes old points series by series through the primary key, at most {@code deleteBatchRows}
   * per transaction; each touched series gets its first time corrected, or is deleted when no point
   * is left.
   */
  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return database.run(
        db ->
            deleteBatches(db, cutoffUnixNanos, 0)
                .thenCompose(deleted -> Retention.vacuum(db).thenApply(ignored -> deleted)));
  }

  private CompletableFuture<Long> deleteBatches(SqliteDatabase db, long cutoff, long sum) {
    return db.write(new DeleteOldPoints(cutoff, deleteBatchRows))
        .thenCompose(
            step ->
                step.seriesLeft()
                    ? deleteBatches(db, cutoff, sum + step.deleted())
                    : CompletableFuture.completedFuture(sum + step.deleted()));
  }

  private record DeleteStep(long deleted, boolean seriesLeft) {}

  record DeleteOldPoints(long cutoff, int budget) implements WriteTask<DeleteStep> {
    static final String OLD_SERIES =
        "SELECT tenant, series_id FROM series WHERE first_time < ? LIMIT ?";
    static final String DELETE_POINTS =
        "DELETE FROM points WHERE tenant = ? AND series_id = ? AND time IN (SELECT time FROM"
            + " points WHERE tenant = ? AND series_id = ? AND time < ? ORDER BY time LIMIT ?)";
    private static final String FIRST_TIME =
        "SELECT min(time) FROM points WHERE tenant = ? AND series_id = ?";
    private static final String UPDATE_FIRST_TIME =
        "UPDATE series SET first_time = ? WHERE tenant = ? AND series_id = ?";
    private static final String DELETE_SERIES =
        "DELETE FROM series WHERE tenant = ? AND series_id = ?";

    @Override
    public int rows() {
      return budget;
    }

    @Override
    public DeleteStep apply(StatementCache statements) throws SQLException {
      List<SeriesKey> old = new ArrayList<>();
      PreparedStatement select = statements.prepare(OLD_SERIES);
      select.setLong(1, cutoff);
      select.setInt(2, budget);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          old.add(new SeriesKey(rows.getString(1), rows.getLong(2)));
        }
      }
      long deleted = 0;
      for (SeriesKey series : old) {
        if (deleted >= budget) {
          break;
        }
        PreparedStatement delete = statements.prepare(DELETE_POINTS);
        delete.setString(1, series.tenant());
        delete.setLong(2, series.id());
        delete.setString(3, series.tenant());
        delete.setLong(4, series.id());
        delete.setLong(5, cutoff);
        delete.setLong(6, budget - deleted);
        deleted += delete.executeUpdate();
        fixFirstTime(statements, series);
      }
      return new DeleteStep(deleted, !old.isEmpty());
    }

    private static void fixFirstTime(StatementCache statements, SeriesKey series)
        throws SQLException {
      PreparedStatement first = statements.prepare(FIRST_TIME);
      first.setString(1, series.tenant());
      first.setLong(2, series.id());
      long firstTime;
      boolean empty;
      try (ResultSet rows = first.executeQuery()) {
        rows.next();
        firstTime = rows.getLong(1);
        empty = rows.wasNull();
      }
      PreparedStatement update = statements.prepare(empty ? DELETE_SERIES : UPDATE_FIRST_TIME);
      int index = 1;
      if (!empty) {
        update.setLong(index++, firstTime);
      }
      update.setString(index++, series.tenant());
      update.setLong(index, series.id());
      update.executeUpdate();
    }
  }
}
