package dev.sextant.storage.memory;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RowSet;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

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

  // ------------------------------------------------------------------ retention

  synchronized List<String> tenants() {
    return records.stream().map(LogRecord::tenant).distinct().sorted().toList();
  }

  private static Rows<LogRecord> rows(RowSet set) {
    return new Rows<>(
        record -> record.tenant().equals(set.tenant()) && set.matches(record),
        LogRecord::timeUnixNanos,
        Sizes::of);
  }

  synchronized Deleted deleteBefore(RowSet set, long cutoffUnixNanos, int maxRows) {
    Rows<LogRecord> rows = rows(set);
    List<LogRecord> old = rows.before(records, cutoffUnixNanos);
    List<LogRecord> victims = old.subList(0, Math.min(maxRows, old.size()));
    Set<LogRecord> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    gone.addAll(victims);
    records.removeIf(gone::contains);
    long bytes = 0;
    for (LogRecord record : victims) {
      bytes += rows.size(record);
    }
    return new Deleted(victims.size(), bytes, victims.size() < old.size(), cutoffUnixNanos);
  }

  synchronized List<Bucket> histogram(RowSet set, long beforeUnixNanos, long bucketNanos) {
    return rows(set).histogram(records, beforeUnixNanos, bucketNanos);
  }

  synchronized OptionalLong oldest(RowSet set) {
    return rows(set).oldest(records);
  }

  synchronized long bytes() {
    long bytes = 0;
    for (LogRecord record : records) {
      bytes += Sizes.of(record);
    }
    return bytes;
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
