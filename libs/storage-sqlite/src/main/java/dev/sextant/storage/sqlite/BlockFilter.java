package dev.sextant.storage.sqlite;

/**
 * Which ready blocks a read looks at: levels {@code minLevel..maxLevel}, flushes up to {@code
 * maxFlush}. Compaction reads what it has rolled up (level 1 and up) or what is not newer than the
 * blocks it merges.
 */
record BlockFilter(int minLevel, int maxLevel, long maxFlush) {
  static final BlockFilter ALL = new BlockFilter(0, Integer.MAX_VALUE, Long.MAX_VALUE);
  static final BlockFilter UNCOMPACTED = new BlockFilter(0, 0, Long.MAX_VALUE);
  static final BlockFilter COMPACTED = new BlockFilter(1, Integer.MAX_VALUE, Long.MAX_VALUE);

  BlockFilter upToFlush(long flush) {
    return new BlockFilter(minLevel, maxLevel, Math.min(maxFlush, flush));
  }
}
