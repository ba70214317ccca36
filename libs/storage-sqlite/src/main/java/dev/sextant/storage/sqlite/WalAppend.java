package dev.sextant.storage.sqlite;

import dev.sextant.model.MetricWrite;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * One metric write as one log row. The record is encoded on the caller's thread; the writer thread
 * only inserts it (and takes the writer lease if nobody holds it). Once the row committed, the
 * points are durable, and a process holding the lease adds them to its head.
 */
final class WalAppend implements WriteTask<Void> {
  private final MetricWriter writer;
  private final List<MetricWrite> writes;
  private final SeriesCatalog.Entry[] entries;
  private final long[] ids;
  private final int[] stateIndexes;
  private final boolean[] define;
  private final long epoch;
  private byte[] record;

  private long rowId;
  private long headFrom = -1;
  private long tookAt;

  WalAppend(MetricWriter writer, List<MetricWrite> writes) {
    this.writer = writer;
    this.writes = writes;
    SeriesCatalog catalog = writer.catalog();
    this.epoch = catalog.retentionEpoch();
    this.entries = new SeriesCatalog.Entry[writes.size()];
    this.ids = new long[writes.size()];
    this.stateIndexes = new int[writes.size()];
    this.define = new boolean[writes.size()];
    for (int i = 0; i < entries.length; i++) {
      SeriesCatalog.Entry entry = catalog.resolve(writes.get(i).series());
      entries[i] = entry;
      ids[i] = entry.key.id();
      stateIndexes[i] = entry.stateIndex;
      define[i] = !entry.logged;
    }
    this.record = WalRecord.encode(writes, ids, define);
  }

  @Override
  public int rows() {
    return 1 + writes.size() / 50;
  }

  @Override
  public Void apply(StatementCache statements) throws SQLException {
    WriterLease lease = writer.lease();
    WriterLease.Row row = WriterLease.read(statements);
    if (row.retentionEpoch() != epoch) {
      // Retention deleted series rows since the record was encoded: define every series again.
      writer.catalog().startEpoch(row.retentionEpoch());
      Arrays.fill(define, true);
      record = WalRecord.encode(writes, ids, define);
    }
    long now = writer.nowMillis();
    if (!lease.isOwner() && row.session() != lease.session() && lease.isFree(row, now)) {
      headFrom = lease.take(statements, now);
      tookAt = now;
    }
    PreparedStatement insert = statements.prepare("INSERT INTO wal (session, data) VALUES (?, ?)");
    insert.setLong(1, lease.session());
    insert.setBytes(2, record);
    insert.executeUpdate();
    try (ResultSet rows = statements.prepare("SELECT last_insert_rowid()").executeQuery()) {
      rows.next();
      rowId = rows.getLong(1);
    }
    return null;
  }

  @Override
  public void committed(Void ignored) {
    if (headFrom >= 0) {
      writer.tookLease(headFrom, tookAt);
    }
    for (int i = 0; i < entries.length; i++) {
      if (define[i]) {
        entries[i].logged = true;
      }
    }
    writer.wrote();
    if (!writer.lease().isOwner()) {
      return;
    }
    MetricHead head = writer.head();
    for (int i = 0; i < entries.length; i++) {
      int index = stateIndexes[i];
      if (index < 0 || define[i]) {
        // A series new to the head, or with a definition it may not know yet.
        SeriesState state = head.state(entries[i].key);
        MetricHead.define(state, entries[i].series);
        entries[i].stateIndex = state.index;
        index = state.index;
      }
      head.append(index, writes.get(i).point(), rowId);
    }
    head.applied(rowId);
    writer.headGrew();
  }
}
