package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * One flush, in one transaction on the writer thread: takes the head's points and the log rows the
 * head does not hold (other processes' and earlier writers'), stores them as one level-0 block of
 * chunks, brings the touched series rows up to date, and deletes the log rows it stored. Its memory
 * changes take effect only once the transaction committed; if it rolls back, the points go back
 * into the head.
 */
final class FlushTask implements WriteTask<Boolean> {
  private static final Logger LOG = Logger.getLogger(FlushTask.class.getName());

  /** A row's last_bound is set this far past its newest point: rows change once per interval. */
  static final long BOUND_SLACK_NANOS = 5 * 60 * 1_000_000_000L;

  private final MetricWriter writer;
  private final long nowMillis;

  private boolean lostLease;
  private boolean heartbeat;
  private final List<SeriesState> taken = new ArrayList<>();
  private final List<SeriesState.Buffered> buffers = new ArrayList<>();
  private final List<RowUpdate> rowUpdates = new ArrayList<>();
  private final Map<String, Integer> refs = new HashMap<>();
  private final List<SeriesState> flushed = new ArrayList<>();
  private final List<MetricPoint> newest = new ArrayList<>();

  /** What a committed flush changes in a series' state. */
  private record RowUpdate(
      SeriesState state, long first, long last, long bound, boolean definitionStored) {}

  FlushTask(MetricWriter writer, long nowMillis) {
    this.writer = writer;
    this.nowMillis = nowMillis;
  }

  @Override
  public int rows() {
    return writer.head().points() / 50 + 1;
  }

  @Override
  public Boolean apply(StatementCache statements) throws SQLException {
    writer.flushStarted();
    WriterLease lease = writer.lease();
    if (!lease.isOwner()) {
      return false;
    }
    WriterLease.Row row = WriterLease.read(statements);
    if (row.session() != lease.session()) {
      lostLease = true;
      return false;
    }
    writer.retentionEpoch(row.retentionEpoch());
    MetricHead head = writer.head();
    long appliedWalId = head.appliedWalId();
    Map<SeriesState, Pending> pending = new HashMap<>();
    for (SeriesState state : head.takeDirty()) {
      SeriesState.Buffered buffered = state.take();
      taken.add(state);
      buffers.add(buffered);
      pending.computeIfAbsent(state, s -> new Pending()).add(buffered);
    }
    List<Long> picked = pickUpLog(statements, lease, pending);
    if (lease.heartbeatDue(nowMillis) || !pending.isEmpty()) {
      lease.heartbeat(statements, nowMillis);
      heartbeat = true;
    }
    if (pending.isEmpty()) {
      return false;
    }
    store(statements, pending);
    deleteLog(statements, lease.session(), appliedWalId, picked);
    return true;
  }

  /** Points of one series gathered for this flush, with the log row id of each. */
  private static final class Pending {
    MetricPoint[] points = new MetricPoint[0];
    long[] walIds = new long[0];
    int size;

    void add(SeriesState.Buffered buffered) {
      for (int i = 0; i < buffered.size(); i++) {
        add(buffered.points()[i], buffered.walIds()[i]);
      }
    }

    void add(MetricPoint point, long walId) {
      if (size == points.length) {
        points = Arrays.copyOf(points, Math.max(4, size * 2));
        walIds = Arrays.copyOf(walIds, points.length);
      }
      points[size] = point;
      walIds[size] = walId;
      size++;
    }

    /** Sorted by time, a later log row's point replacing an earlier one's at the same time. */
    List<MetricPoint> sorted() {
      boolean ordered = true;
      for (int i = 1; i < size && ordered; i++) {
        ordered =
            points[i].timeUnixNanos() > points[i - 1].timeUnixNanos() && walIds[i] >= walIds[i - 1];
      }
      if (ordered) {
        return Arrays.asList(points).subList(0, size);
      }
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order,
          Comparator.comparingLong((Integer i) -> points[i].timeUnixNanos())
              .thenComparingLong(i -> walIds[i])
              .thenComparingInt(i -> i));
      List<MetricPoint> sorted = new ArrayList<>(size);
      for (int k = 0; k < size; k++) {
        boolean replaced =
            k + 1 < size
                && points[order[k + 1]].timeUnixNanos() == points[order[k]].timeUnixNanos();
        if (!replaced) {
          sorted.add(points[order[k]]);
        }
      }
      return sorted;
    }
  }

  /**
   * Reads the log rows the head does not hold: rows of other sessions, and rows older than this
   * process's lease (written before it held it). Returns their ids, to delete once stored.
   */
  private List<Long> pickUpLog(
      StatementCache statements, WriterLease lease, Map<SeriesState, Pending> pending)
      throws SQLException {
    PreparedStatement select =
        statements.prepare("SELECT id, data FROM wal WHERE id < ? OR session <> ? ORDER BY id");
    select.setLong(1, lease.headFrom());
    select.setLong(2, lease.session());
    List<Long> ids = new ArrayList<>();
    MetricHead head = writer.head();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        long id = rows.getLong(1);
        ids.add(id);
        WalRecord.Decoded record = WalRecord.decode(rows.getBytes(2));
        for (MetricSeries definition : record.definitions()) {
          SeriesState state = head.state(new SeriesKey(definition.tenant(), definition.id()));
          if (!definition.equals(state.definition)) {
            state.definition = definition;
            state.definitionStored = false;
          }
        }
        for (WalRecord.Entry entry : record.entries()) {
          SeriesState state = head.state(new SeriesKey(entry.tenant(), entry.seriesId()));
          pending.computeIfAbsent(state, s -> new Pending()).add(entry.point(), id);
        }
      }
    }
    return ids;
  }

  private void store(StatementCache statements, Map<SeriesState, Pending> pending)
      throws SQLException {
    TenantRefs tenants = writer.tenantRefs();
    List<Map.Entry<SeriesState, Pending>> series = new ArrayList<>(pending.entrySet());
    for (Map.Entry<SeriesState, Pending> entry : series) {
      String tenant = entry.getKey().key.tenant();
      if (!refs.containsKey(tenant)) {
        refs.put(tenant, tenants.findOrCreate(statements, tenant));
      }
    }
    series.sort(
        Comparator.comparingInt(
                (Map.Entry<SeriesState, Pending> e) -> refs.get(e.getKey().key.tenant()))
            .thenComparingLong(e -> e.getKey().key.id()));

    List<List<MetricPoint>> points = new ArrayList<>(series.size());
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Map.Entry<SeriesState, Pending> entry : series) {
      List<MetricPoint> sorted = entry.getValue().sorted();
      points.add(sorted);
      min = Math.min(min, sorted.getFirst().timeUnixNanos());
      max = Math.max(max, sorted.getLast().timeUnixNanos());
    }
    long flush = Blocks.nextFlush(statements);
    long block = Blocks.insert(statements, 0, flush, flush, min, max, true);

    SeriesPages.Writer pages = new SeriesPages.Writer();
    int currentRef = -1;
    for (int i = 0; i < series.size(); i++) {
      SeriesState state = series.get(i).getKey();
      int ref = refs.get(state.key.tenant());
      if (ref != currentRef) {
        Blocks.insertPages(statements, PageTable.CHUNKS, block, currentRef, pages.finish());
        currentRef = ref;
      }
      List<MetricPoint> sorted = points.get(i);
      pages.add(state.key.id(), ChunkCodec.encode(sorted));
      if (pages.hasPages()) {
        Blocks.insertPages(statements, PageTable.CHUNKS, block, ref, pages.takePages());
      }
      updateRow(statements, state, sorted);
      flushed.add(state);
      newest.add(sorted.getLast());
    }
    Blocks.insertPages(statements, PageTable.CHUNKS, block, currentRef, pages.finish());
  }

  /**
   * Rewrites the series row only when it must: a new series, new metadata, a point before its first
   * time or past its last bound. So a steady series costs a row write every few minutes of data,
   * not one per flush.
   */
  private void updateRow(StatementCache statements, SeriesState state, List<MetricPoint> sorted)
      throws SQLException {
    if (!state.rowLoaded) {
      SeriesRows.load(statements, state);
    }
    long minTime = sorted.getFirst().timeUnixNanos();
    long maxTime = sorted.getLast().timeUnixNanos();
    boolean needed =
        !state.rowExists
            || !state.definitionStored
            || minTime < state.firstTime
            || maxTime > state.lastBound;
    if (!needed) {
      return;
    }
    long first = state.rowExists ? Math.min(state.firstTime, minTime) : minTime;
    long last = state.rowExists ? Math.max(state.lastTime, maxTime) : maxTime;
    long pastMax =
        maxTime > Long.MAX_VALUE - BOUND_SLACK_NANOS ? Long.MAX_VALUE : maxTime + BOUND_SLACK_NANOS;
    long bound = state.rowExists ? Math.max(state.lastBound, pastMax) : pastMax;
    if (state.definition != null) {
      SeriesRows.upsert(statements, state.definition, first, last, bound);
      rowUpdates.add(new RowUpdate(state, first, last, bound, true));
    } else if (state.rowExists) {
      SeriesRows.widen(statements, state.key, first, last, bound);
      rowUpdates.add(new RowUpdate(state, first, last, bound, state.definitionStored));
    } else {
      // Points whose series was never defined: a log row lost its definition. Stored by id, but
      // no series row lists them.
      LOG.warning("metric series " + state.key + " has points but no definition");
    }
  }

  private static void deleteLog(
      StatementCache statements, long session, long appliedWalId, List<Long> picked)
      throws SQLException {
    PreparedStatement own = statements.prepare("DELETE FROM wal WHERE session = ? AND id <= ?");
    own.setLong(1, session);
    own.setLong(2, appliedWalId);
    own.executeUpdate();
    PreparedStatement one = statements.prepare("DELETE FROM wal WHERE id = ?");
    for (long id : picked) {
      one.setLong(1, id);
      one.addBatch();
    }
    if (!picked.isEmpty()) {
      one.executeBatch();
    }
  }

  @Override
  public void committed(Boolean stored) {
    if (lostLease) {
      writer.lostLease();
      return;
    }
    if (heartbeat) {
      writer.lease().heartbeatCommitted(nowMillis);
    }
    refs.forEach(writer.tenantRefs()::remember);
    for (RowUpdate update : rowUpdates) {
      SeriesState state = update.state();
      state.rowExists = true;
      state.firstTime = update.first();
      state.lastTime = update.last();
      state.lastBound = update.bound();
      state.definitionStored = update.definitionStored();
    }
    for (int i = 0; i < flushed.size(); i++) {
      SeriesState state = flushed.get(i);
      MetricPoint point = newest.get(i);
      MetricPoint latest = state.latest;
      if (latest == null || point.timeUnixNanos() > latest.timeUnixNanos()) {
        state.latest = point;
      }
    }
    if (stored) {
      writer.flushed();
    }
  }

  @Override
  public void abandoned() {
    for (int i = taken.size() - 1; i >= 0; i--) {
      writer.head().putBack(taken.get(i), buffers.get(i));
    }
    taken.clear();
    buffers.clear();
  }
}
