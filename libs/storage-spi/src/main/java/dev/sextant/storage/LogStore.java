package dev.sextant.storage;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.query.LogQuery;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** Log records: written in batches, found by search. */
public interface LogStore {

  /** Stores the records; completes once they are committed. */
  Uni<Void> write(List<LogRecord> records);

  /** Records matching every criterion, newest first. */
  Uni<List<LogRecord>> search(LogQuery query);

  /** Deletes records of every tenant timestamped before the cutoff; returns how many went. */
  Uni<Long> deleteOlderThan(long cutoffUnixNanos);
}
