package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.Temporality;
import dev.sextant.storage.CallerReads;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesOrder;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.StepSampling;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import io.smallrye.mutiny.Uni;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Metric series and points in {@code metrics.db} (ADR 0008). Writes go to a write-ahead log and the
 * writing process's head ({@link MetricWriter}); reads see what flushes stored, in blocks of
 * compressed chunks ({@link BlockReader}), at most a flush interval after the write completed.
 */
final class SqliteMetricStore implements MetricStore {

  private final DatabaseAccess database;
  private final int deleteBatchRows;
  private final TenantRefs tenantRefs = new TenantRefs();
  private final MetricWriter writer;

  SqliteMetricStore(DatabaseAccess database, int deleteBatchRows, MetricOptions options) {
    this.database = database;
    this.deleteBatchRows = deleteBatchRows;
    this.writer = new MetricWriter(database, options, tenantRefs, System::currentTimeMillis);
  }

  /** The database is open: start the flush ticks. */
  void start() {
    writer.start();
  }

  /** Before the database closes: flush and give the writer lease up, unless simulating a crash. */
  void close(boolean crash) {
    writer.close(crash);
  }

  MetricWriter writer() {
    return writer;
  }

  // ------------------------------------------------------------------ writes

  @Override
  public Uni<Void> write(List<MetricWrite> writes) {
    return writer.write(writes);
  }

  @Override
  public Uni<Void> startWriting() {
    return Uni.createFrom().completionStage(() -> writer.startWriting());
  }

  @Override
  public Uni<Void> flush() {
    return Uni.createFrom().completionStage(() -> writer.flush());
  }

  // ------------------------------------------------------------------ latest points

  private static final String LAST_TIME =
      "SELECT last_time FROM series WHERE tenant = ? AND series_id = ?";

  /**
   * The newest stored point (found from the series row's last time, the time of a stored point)
   * and, where this process holds the head, the head's newest; whichever is later.
   */
  @Override
  public Uni<Map<Long, MetricPoint>> latestPoints(String tenant, Collection<Long> seriesIds) {
    List<SeriesKey> keys = seriesIds.stream().map(id -> new SeriesKey(tenant, id)).toList();
    return database
        .run(db -> db.writeInternal(new HeadNewest(writer.head(), keys)))
        .chain(
            fromHead ->
                database.read(statements -> stored(statements, tenant, seriesIds, fromHead)));
  }

  /** The head's newest points, read on the writer thread that owns the head. */
  private record HeadNewest(MetricHead head, List<SeriesKey> keys)
      implements WriteTask<Map<SeriesKey, MetricPoint>> {
    @Override
    public int rows() {
      return 0;
    }

    @Override
    public Map<SeriesKey, MetricPoint> apply(StatementCache statements) {
      return head.newest(keys);
    }
  }

  private Map<Long, MetricPoint> stored(
      StatementCache statements,
      String tenant,
      Collection<Long> seriesIds,
      Map<SeriesKey, MetricPoint> fromHead)
      throws SQLException {
    Map<Long, MetricPoint> latest = new HashMap<>();
    fromHead.forEach((key, point) -> latest.put(key.id(), point));
    int ref = tenantRefs.find(statements, tenant);
    if (ref == TenantRefs.UNKNOWN) {
      return latest;
    }
    PreparedStatement select = statements.prepare(LAST_TIME);
    for (Long id : seriesIds) {
      select.setString(1, tenant);
      select.setLong(2, id);
      long lastTime;
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          continue;
        }
        lastTime = rows.getLong(1);
      }
      List<MetricPoint> newest =
          BlockReader.points(statements, ref, id, lastTime, Long.MAX_VALUE, BlockFilter.ALL);
      if (!newest.isEmpty()) {
        // At the same time the head's point wins: it was written later.
        latest.merge(
            id,
            newest.getLast(),
            (head, disk) -> disk.timeUnixNanos() > head.timeUnixNanos() ? disk : head);
      }
    }
    return latest;
  }

  // ------------------------------------------------------------------ metadata

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

  // ------------------------------------------------------------------ series

  @Override
  public Uni<List<String>> metricNames(String tenant, TimeRange range) {
    return database.read(
        statements -> {
          Set<String> names = new LinkedHashSet<>();
          long floor = MetricRowRetention.rawFloor(statements, tenant);
          for (SeriesIndex.Candidate candidate :
              SeriesIndex.candidates(statements, tenant, null, range)) {
            if (!names.contains(candidate.series().name())
                && SeriesIndex.hasPointIn(statements, tenantRefs, candidate, range, floor)) {
              names.add(candidate.series().name());
            }
          }
          return names.stream().sorted().toList();
        });
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
          List<MetricSeries> found = new ArrayList<>();
          long floor = MetricRowRetention.rawFloor(statements, query.tenant());
          for (SeriesIndex.Candidate candidate :
              SeriesIndex.candidates(statements, query.tenant(), exactName(query), query.range())) {
            if (query.matches(candidate.series())
                && SeriesIndex.hasPointIn(
                    statements, tenantRefs, candidate, query.range(), floor)) {
              found.add(candidate.series());
            }
          }
          found.sort(SeriesOrder.INSTANCE);
          return found;
        });
  }

  // ------------------------------------------------------------------ points and rollups

  /** The value of an equality matcher on the metric name, or null. */
  private static String exactName(SeriesQuery query) {
    String name = null;
    for (LabelMatcher matcher : query.matchers()) {
      if (matcher.name().equals(LabelMatcher.METRIC_NAME)
          && matcher.type() == LabelMatcher.Type.EQUAL) {
        name = matcher.value();
      }
    }
    return name;
  }

  /**
   * The candidates by their row bounds (no block is read to prove a point), the caller's test, then
   * the kept series' points, read once: a candidate without points in the range drops out by its
   * empty read. The first {@link #SERIES_PER_READ} series are read in the task that lists them, in
   * one transaction; a selector of more is read in further tasks of that many, so other queries'
   * reads get in between.
   */
  /**
   * Reads run on a {@link dev.sextant.storage.CallerReads} thread whenever a connection is free.
   */
  @Override
  public boolean readsCompleteOnCaller() {
    return true;
  }

  /**
   * Every point, whatever the sampling: a series' points are read as whole blocks of chunks, so
   * leaving some out would save no reading.
   */
  @Override
  public Uni<List<SeriesPoints>> seriesPoints(
      SeriesQuery query, StepSampling sampling, Predicate<MetricSeries> read) {
    TimeRange range = query.range();
    return database
        .read(
            statements -> {
              int ref = tenantRefs.find(statements, query.tenant());
              if (ref == TenantRefs.UNKNOWN) {
                return new Selection(List.of(), List.of());
              }
              return inTransaction(
                  statements,
                  () -> {
                    List<SeriesIndex.Candidate> kept = new ArrayList<>();
                    for (SeriesIndex.Candidate candidate :
                        SeriesIndex.candidates(
                            statements, query.tenant(), exactName(query), range)) {
                      if (query.matches(candidate.series()) && read.test(candidate.series())) {
                        kept.add(candidate);
                      }
                    }
                    kept.sort((a, b) -> SeriesOrder.INSTANCE.compare(a.series(), b.series()));
                    List<SeriesPoints> found = new ArrayList<>();
                    readPoints(statements, ref, kept, 0, range, found);
                    return new Selection(kept, found);
                  });
            })
        .chain(selection -> readRest(query.tenant(), selection, SERIES_PER_READ, range));
  }

  /** Series per read task of {@link #seriesPoints}. */
  static final int SERIES_PER_READ = 1000;

  /** The series a selector kept, in order, and those read so far with their points. */
  private record Selection(List<SeriesIndex.Candidate> kept, List<SeriesPoints> found) {}

  private Uni<List<SeriesPoints>> readRest(
      String tenant, Selection selection, int from, TimeRange range) {
    if (from >= selection.kept().size()) {
      return Uni.createFrom().item(selection.found());
    }
    return database
        .read(
            statements -> {
              int ref = tenantRefs.find(statements, tenant);
              return inTransaction(
                  statements,
                  () -> {
                    readPoints(statements, ref, selection.kept(), from, range, selection.found());
                    return selection;
                  });
            })
        .chain(s -> readRest(tenant, s, from + SERIES_PER_READ, range));
  }

  /** Adds the points of {@code kept[from, from + SERIES_PER_READ)} that have any to {@code out}. */
  private static void readPoints(
      StatementCache statements,
      int ref,
      List<SeriesIndex.Candidate> kept,
      int from,
      TimeRange range,
      List<SeriesPoints> out)
      throws SQLException {
    List<SeriesIndex.Candidate> part =
        kept.subList(from, Math.min(kept.size(), from + SERIES_PER_READ));
    long[] ids = new long[part.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = part.get(i).id();
    }
    long start = range.startUnixNanos();
    long end = range.endUnixNanos();
    List<List<BlockReader.Found>> chunks =
        BlockReader.findMany(statements, PageTable.CHUNKS, ref, ids, start, end, BlockFilter.ALL);
    for (int i = 0; i < ids.length; i++) {
      CallerReads.checkBudget();
      List<MetricPoint> points = BlockReader.points(chunks.get(i), start, end);
      if (!points.isEmpty()) {
        out.add(new SeriesPoints(part.get(i).series(), points));
      }
    }
  }

  @Override
  public Uni<List<MetricPoint>> points(String tenant, long seriesId, TimeRange range) {
    return database.read(
        statements -> {
          int ref = tenantRefs.find(statements, tenant);
          if (ref == TenantRefs.UNKNOWN) {
            return List.of();
          }
          return BlockReader.points(
              statements,
              ref,
              seriesId,
              range.startUnixNanos(),
              range.endUnixNanos(),
              BlockFilter.ALL);
        });
  }

  /**
   * Many series in one read task: one round trip to a reader thread, one consistent view of the
   * blocks (the query service reads every series a PromQL selector picked this way).
   */
  @Override
  public Uni<Map<Long, List<MetricPoint>>> points(
      String tenant, Collection<Long> seriesIds, TimeRange range) {
    return database.read(
        statements -> {
          int ref = tenantRefs.find(statements, tenant);
          if (ref == TenantRefs.UNKNOWN) {
            return Map.<Long, List<MetricPoint>>of();
          }
          return inTransaction(
              statements,
              () -> {
                Map<Long, List<MetricPoint>> found = new HashMap<>();
                for (Long id : seriesIds) {
                  List<MetricPoint> points =
                      BlockReader.points(
                          statements,
                          ref,
                          id,
                          range.startUnixNanos(),
                          range.endUnixNanos(),
                          BlockFilter.ALL);
                  if (!points.isEmpty()) {
                    found.put(id, points);
                  }
                }
                return found;
              });
        });
  }

  @Override
  public Uni<List<Rollup>> rollups(String tenant, long seriesId, RollupTier tier, TimeRange range) {
    return database.read(
        statements -> {
          int ref = tenantRefs.find(statements, tenant);
          if (ref == TenantRefs.UNKNOWN) {
            return List.<Rollup>of();
          }
          return inTransaction(
              statements, () -> RollupReader.rollups(statements, tier, ref, seriesId, range));
        });
  }

  /** A read made of several statements that must see one state of the blocks. */
  private static <T> T inTransaction(StatementCache statements, ReadBody<T> body)
      throws SQLException {
    statements.execute("BEGIN");
    try {
      return body.run();
    } finally {
      statements.execute("COMMIT");
    }
  }

  private interface ReadBody<T> {
    T run() throws SQLException;
  }

  // ------------------------------------------------------------------ retention

  @Override
  public Uni<Long> rollupsCompleteBefore(String tenant) {
    return database.read(
        statements ->
            MetricRowRetention.rollupsCompleteBefore(
                statements, tenantRefs.find(statements, tenant)));
  }

  @Override
  public Uni<Long> pointsRemovedBefore(String tenant) {
    return database.read(statements -> MetricRowRetention.rawFloor(statements, tenant));
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return database.run(
        db -> MetricRetention.deleteOlderThan(db, cutoffUnixNanos, deleteBatchRows));
  }
}
