package dev.sextant.retention;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last finished runs, newest first, bounded; kept in memory until a later issue stores them.
 */
final class RunHistory {
  private final int capacity;
  private final Deque<RetentionRun> newestFirst = new ArrayDeque<>();

  RunHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "sextant.retention.history-size must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  synchronized void add(RetentionRun run) {
    newestFirst.addFirst(run);
    while (newestFirst.size() > capacity) {
      newestFirst.removeLast();
    }
  }

  synchronized List<RetentionRun> newestFirst(int limit) {
    return newestFirst.stream().limit(limit).toList();
  }
}
