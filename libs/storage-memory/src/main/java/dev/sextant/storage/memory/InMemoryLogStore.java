package dev.sextant.storage.memory;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.query.LogQuery;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * Log records in arrival order. Search returns newest first by time, and among records of the same
 * time the later written first.
 */
final class InMemoryLogStore implements LogStore {

  private final Lifecycle lifecycle;
  private final List<LogRecord> records = new ArrayList<>();

  InMemoryLogStore(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public Uni<Void> write(List<LogRecord> batch) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            records.addAll(batch);
          }
          return null;
        });
  }

  @Override
  public Uni<List<LogRecord>> search(LogQuery query) {
    return lifecycle.run(
        () -> {
          List<LogRecord> found = new ArrayList<>();
          synchronized (this) {
            for (int i = records.size() - 1; i >= 0; i--) {
              LogRecord record = records.get(i);
              if (matches(query, record)) {
                found.add(record);
              }
            }
          }
          // Stable: equal times keep the later-written-first order of the scan.
          found.sort((a, b) -> Long.compare(b.timeUnixNanos(), a.timeUnixNanos()));
          return List.copyOf(found.subList(0, Math.min(query.limit(), found.size())));
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            int before = records.size();
            records.removeIf(record -> record.timeUnixNanos() < cutoffUnixNanos);
            return (long) (before - records.size());
          }
        });
  }

  synchronized void clear() {
    records.clear();
  }

  private static boolean matches(LogQuery query, LogRecord record) {
    return record.tenant().equals(query.tenant())
        && query.range().contains(record.timeUnixNanos())
        && (query.minSeverityNumber() == null
            || record.severityNumber() >= query.minSeverityNumber())
        && (query.traceId() == null || query.traceId().equals(record.traceId()))
        && (query.serviceName() == null || query.serviceName().equals(record.serviceName()))
        && (query.bodyContains() == null || record.bodyText().contains(query.bodyContains()))
        && AttributeFilter.matches(
            query.attributes(), record.attributes(), record.resourceAttributes());
  }
}
