package dev.sextant.storage.sqlite;

/**
 * A row of {@code blocks}: the points of flushes {@code firstFlush..lastFlush} at a compaction
 * level, within {@code [minTime, maxTime]}. Of two blocks, the one with the later flushes wins
 * where both hold a point at the same time (a later write replaces an earlier one).
 */
record Block(
    long id,
    int level,
    long firstFlush,
    long lastFlush,
    long minTime,
    long maxTime,
    long version) {}
