package dev.sextant.storage.postgres;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.TimeRange;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Mastra's metric events, scores and feedback: NOT YET STORED by this backend. Their tables exist
 * (migration V2) and retention empties them, but writes and reads fail loudly with {@code INTERNAL}
 * ("not supported"), so nothing is acknowledged and then lost. The SQLite backend stores them; the
 * PostgreSQL mapping is the next step of issue 6.
 */
final class PgEventStore<E extends CorrelatedEvent> implements EventStore<E> {
  private final String kind;
  private final TableRetention retention;

  PgEventStore(PgClient client, String schema, String table, String kind, int deleteBatchRows) {
    this.kind = kind;
    this.retention = new TableRetention(client, schema, table, deleteBatchRows);
  }

  static StorageException unsupported(String what) {
    return new StorageException(
        StorageException.Code.INTERNAL,
        what + " are not supported by the postgres backend yet (use sqlite for Mastra data)");
  }

  @Override
  public Uni<Void> write(List<E> events) {
    return events.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.createFrom().failure(unsupported(kind));
  }

  @Override
  public Uni<List<E>> search(EventQuery query) {
    return Uni.createFrom().failure(unsupported(kind));
  }

  @Override
  public Uni<List<String>> names(String tenant, TimeRange range, int limit) {
    return Uni.createFrom().failure(unsupported(kind));
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return retention.deleteOlderThan(cutoffUnixNanos);
  }
}
