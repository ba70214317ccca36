package dev.sextant.storage.memory;

import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.BucketCounter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Retention's reads over the rows of one tenant of a record store (spans, logs), given how to read
 * a row's time and size and whether it is in the row set.
 */
final class Rows<T> {
  private final Predicate<T> inSet;
  private final ToLongFunction<T> time;
  private final ToLongFunction<T> size;

  Rows(Predicate<T> inSet, ToLongFunction<T> time, ToLongFunction<T> size) {
    this.inSet = inSet;
    this.time = time;
    this.size = size;
  }

  /** The rows of the set before the cutoff, oldest first. */
  List<T> before(Iterable<T> rows, long cutoffUnixNanos) {
    List<T> found = new ArrayList<>();
    for (T row : rows) {
      if (time.applyAsLong(row) < cutoffUnixNanos && inSet.test(row)) {
        found.add(row);
      }
    }
    found.sort(Comparator.comparingLong(time));
    return found;
  }

  long size(T row) {
    return size.applyAsLong(row);
  }

  List<Bucket> histogram(Iterable<T> rows, long beforeUnixNanos, long bucketNanos) {
    BucketCounter counter = new BucketCounter(bucketNanos);
    for (T row : before(rows, beforeUnixNanos)) {
      counter.add(time.applyAsLong(row), 1, size.applyAsLong(row));
    }
    return counter.buckets();
  }

  OptionalLong oldest(Iterable<T> rows) {
    List<T> all = before(rows, Long.MAX_VALUE);
    return all.isEmpty() ? OptionalLong.empty() : OptionalLong.of(time.applyAsLong(all.getFirst()));
  }

  long bytes(Iterable<T> rows) {
    long bytes = 0;
    for (T row : rows) {
      bytes += size.applyAsLong(row);
    }
    return bytes;
  }
}
