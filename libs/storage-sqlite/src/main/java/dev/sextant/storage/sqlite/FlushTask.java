package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricSeries;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * One flush, in one transaction on the writer thread: takes the head's points and the log rows the
 * head does not hold (other processes', an earlier writer's), stores them as one level-0 block of
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
  private HeadLog taken;
  private int ownPoints;
  private final List<RowUpdate> rowUpdates = new ArrayList<>();
  private final Map<String, Integer> refs = new HashMap<>();
  private int[] newOrder;
  private List<SeriesState> newlyOrdered = List.of();

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
    taken = head.take();
    ownPoints = taken.size();
    List<Long> picked = pickUpLog(statements, lease, taken);
    if (lease.heartbeatDue(nowMillis) || taken.size() > 0) {
      lease.heartbeat(statements, nowMillis);
      heartbeat = true;
    }
    if (taken.size() == 0) {
      return false;
    }
    store(statements, taken);
    deleteLog(statements, lease.session(), appliedWalId, picked);
    return true;
  }

  /**
   * Adds the log rows the head does not hold to the points to flush: rows of other sessions, and
   * rows older than this process's lease (written before it held it). Returns their ids, to delete
   * once stored.
   */
  private List<Long> pickUpLog(StatementCache statements, WriterLease lease, HeadLog into)
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
          MetricHead.define(state, definition);
        }
        for (WalRecord.Entry entry : record.entries()) {
          SeriesState state = head.state(new SeriesKey(entry.tenant(), entry.seriesId()));
          into.add(state.index, entry.point(), id);
        }
      }
    }
    return ids;
  }

  private void store(StatementCache statements, HeadLog log) throws SQLException {
    MetricHead head = writer.head();
    int[] counts = log.counts(head.seriesCount());
    int[] order = order(statements, head, counts);
    // Rank the series with points by chunk-row order, and lay their points out in that order.
    int[] rank = new int[counts.length];
    int[] ranked = new int[order.length];
    int n = 0;
    for (int index : order) {
      if (counts[index] > 0) {
        rank[index] = n;
        ranked[n++] = index;
      }
    }
    HeadLog.BySeries bySeries = log.bySeries(counts, rank, n, head.sortOrder(log.size()));

    // The block row goes first: its id keys the pages.
    long[] bounds = log.timeBounds();
    long flush = Blocks.nextFlush(statements);
    long block = Blocks.insert(statements, 0, flush, flush, bounds[0], bounds[1], true);

    PointColumns scratch = new PointColumns(64);
    int[] range = new int[2];
    SeriesPages.Writer pages = new SeriesPages.Writer();
    int currentRef = -1;
    for (int r = 0; r < n; r++) {
      SeriesState state = head.byIndex(ranked[r]);
      int ref = refOf(state);
      if (ref != currentRef) {
        Blocks.insertPages(statements, PageTable.CHUNKS, block, currentRef, pages.finish());
        currentRef = ref;
      }
      PointColumns points = bySeries.sorted(r, scratch, range);
      pages.add(state.key.id(), ChunkCodec.encode(points, range[0], range[1]));
      if (pages.hasPages()) {
        Blocks.insertPages(statements, PageTable.CHUNKS, block, ref, pages.takePages());
      }
      updateRow(statements, state, points.times[range[0]], points.times[range[1] - 1]);
    }
    Blocks.insertPages(statements, PageTable.CHUNKS, block, currentRef, pages.finish());
  }

  /**
   * The head's series in chunk-row order, with this flush's new series merged in (their tenants
   * given numbers); the new order takes effect when the flush commits.
   */
  private int[] order(StatementCache statements, MetricHead head, int[] counts)
      throws SQLException {
    TenantRefs tenants = writer.tenantRefs();
    List<SeriesState> fresh = new ArrayList<>();
    for (int index = 0; index < counts.length; index++) {
      SeriesState state = head.byIndex(index);
      if (state.tenantRef < 0 && counts[index] > 0) {
        Integer ref = refs.get(state.key.tenant());
        if (ref == null) {
          ref = tenants.findOrCreate(statements, state.key.tenant());
          refs.put(state.key.tenant(), ref);
        }
        fresh.add(state);
      }
    }
    if (fresh.isEmpty()) {
      return head.order();
    }
    fresh.sort(this::compare);
    int[] old = head.order();
    int[] merged = new int[old.length + fresh.size()];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < old.length || j < fresh.size()) {
      boolean takeOld =
          j == fresh.size() || (i < old.length && compare(head.byIndex(old[i]), fresh.get(j)) < 0);
      merged[k++] = takeOld ? old[i++] : fresh.get(j++).index;
    }
    newOrder = merged;
    newlyOrdered = fresh;
    return merged;
  }

  private int compare(SeriesState a, SeriesState b) {
    int byRef = Integer.compare(refOf(a), refOf(b));
    return byRef != 0 ? byRef : Long.compare(a.key.id(), b.key.id());
  }

  /** The tenant number of a series: known to the state once a flush committed it. */
  private int refOf(SeriesState state) {
    return state.tenantRef >= 0 ? state.tenantRef : refs.get(state.key.tenant());
  }

  /**
   * Rewrites the series row only when it must: a new series, new metadata, a point before its first
   * time or past its last bound. So a steady series costs a row write every few minutes of data,
   * not one per flush.
   */
  private void updateRow(StatementCache statements, SeriesState state, long minTime, long maxTime)
      throws SQLException {
    if (!state.rowLoaded) {
      SeriesRows.load(statements, state);
    }
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
      SeriesRows.upsert(statements, state.key, state.definition, first, last, bound);
      rowUpdates.add(new RowUpdate(state, first, last, bound, true));
    } else if (state.rowExists) {
      SeriesRows.widen(statements, state.key, first, last, bound);
      rowUpdates.add(new RowUpdate(state, first, last, bound, state.definitionStored));
    } else {
      // A log row named a series whose definition no row holds: stored by id, but no series row
      // lists it. The catalog defines a series again after retention, so this is a bug if seen.
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
    if (picked.isEmpty()) {
      return;
    }
    PreparedStatement one = statements.prepare("DELETE FROM wal WHERE id = ?");
    for (long id : picked) {
      one.setLong(1, id);
      one.addBatch();
    }
    one.executeBatch();
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
    if (newOrder != null) {
      for (SeriesState state : newlyOrdered) {
        state.tenantRef = refs.get(state.key.tenant());
      }
      writer.head().order(newOrder);
    }
    if (taken != null) {
      writer.head().recycle(taken);
      taken = null;
    }
    if (stored) {
      writer.flushed();
    }
  }

  @Override
  public void abandoned() {
    if (taken != null) {
      // Only the head's own points: rows picked up from the log are picked up again.
      taken.truncate(ownPoints);
      writer.head().putBack(taken);
      taken = null;
    }
  }
}
