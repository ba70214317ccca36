package dev.sextant.storage.clickhouse;

import dev.sextant.storage.StorageException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Group commit of inserts (ADR 0013, addendum): writes to one table that arrive while inserts into
 * it are in flight wait, and the next insert carries all of them (RowBinary rows simply follow one
 * another). Every part ClickHouse writes is merged again later, so a thousand-row part per export
 * request costs many times its insert in merges; a server that buffers inserts itself ({@code
 * async_insert}) gets fewer, larger requests. A write completes once the insert holding its rows
 * did, and fails with it (the same coded error for every write it carried, retryable: nothing
 * acknowledged is lost, and a retry stores nothing twice, the tables being {@code
 * ReplacingMergeTree}s).
 */
final class InsertBatcher {
  /** Inserts of one table in flight at once: one encodes while ClickHouse stores the other. */
  static final int IN_FLIGHT_PER_TABLE = 2;

  /** RowBinary bytes per insert at most (a single write larger than this goes alone). */
  static final int MAX_BATCH_BYTES = 32 << 20;

  private record Pending(RowBinaryOutput rows, UniEmitter<? super Void> done) {}

  /** What waits for one table; guarded by the batcher. */
  private static final class Table {
    final String name;
    final List<String> columns;
    final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    int inFlight;

    Table(String name, List<String> columns) {
      this.name = name;
      this.columns = columns;
    }
  }

  /** Where an insert goes: completes once ClickHouse stored the rows, fails coded. */
  @FunctionalInterface
  interface Sink {
    Uni<Void> insert(String context, String table, List<String> columns, InputStream rows);
  }

  private final Sink sink;
  private final int maxWaiting;
  private final Map<String, Table> tables = new HashMap<>();

  /**
   * @param maxWaiting writes per table that may wait; one more fails at once as {@code OVERLOADED}
   */
  InsertBatcher(Sink sink, int maxWaiting) {
    this.sink = sink;
    this.maxWaiting = maxWaiting;
  }

  Uni<Void> insert(String context, String table, List<String> columns, RowBinaryOutput rows) {
    return Uni.createFrom()
        .emitter(
            done -> {
              Table t;
              boolean full;
              boolean startInsert = false;
              synchronized (this) {
                t = tables.computeIfAbsent(table, name -> new Table(name, columns));
                if (!t.columns.equals(columns)) {
                  throw new IllegalArgumentException(
                      "inserts into " + table + " name different columns");
                }
                full = t.waiting.size() >= maxWaiting;
                if (!full) {
                  t.waiting.add(new Pending(rows, done));
                  startInsert = t.inFlight < IN_FLIGHT_PER_TABLE;
                  if (startInsert) {
                    t.inFlight++;
                  }
                }
              }
              // Outside the lock: completing runs the caller's continuation.
              if (full) {
                done.fail(
                    new StorageException(
                        StorageException.Code.OVERLOADED,
                        context + ": too many writes waiting for ClickHouse"));
              } else if (startInsert) {
                insertWaiting(context, t);
              }
            });
  }

  /** One insert of what waits now; then the next, until nothing waits. */
  private void insertWaiting(String context, Table t) {
    List<Pending> batch = take(t);
    if (batch.isEmpty()) {
      return;
    }
    List<InputStream> streams = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      streams.add(p.rows().asInputStream());
    }
    sink.insert(
            context, t.name, t.columns, new SequenceInputStream(Collections.enumeration(streams)))
        .subscribe()
        .with(
            ok -> {
              batch.forEach(p -> p.done().complete(null));
              insertWaiting(context, t);
            },
            failure -> {
              batch.forEach(p -> p.done().fail(failure));
              insertWaiting(context, t);
            });
  }

  /** The writes the next insert carries; none (and one insert less in flight) when none wait. */
  private synchronized List<Pending> take(Table t) {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    while (!t.waiting.isEmpty()) {
      int size = t.waiting.peek().rows().size();
      if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
        break;
      }
      batch.add(t.waiting.poll());
      bytes += size;
    }
    if (batch.isEmpty()) {
      t.inFlight--;
    }
    return batch;
  }
}
