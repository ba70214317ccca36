package dev.sextant.storage.sqlite;

import java.time.Duration;

/**
 * How the metric store buffers and compacts.
 *
 * @param flushInterval how often the writer turns its head into chunks: the visibility lag
 * @param maxHeadPoints a head holding more points is flushed at once
 * @param compactionFanIn how many blocks of a level are merged into one of the next
 * @param leaseTimeout after this long without a heartbeat, the writer is presumed dead
 */
record MetricOptions(
    Duration flushInterval, int maxHeadPoints, int compactionFanIn, Duration leaseTimeout) {

  static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(2);
  static final int DEFAULT_MAX_HEAD_POINTS = 1_000_000;
  static final int DEFAULT_COMPACTION_FAN_IN = 30;

  /** The highest level: blocks there are no longer merged (about half a day at the defaults). */
  static final int TOP_LEVEL = 3;

  /** A lease of 15 flush intervals, at least 30 s: long enough to ride out a slow disk. */
  static Duration leaseFor(Duration flushInterval) {
    Duration fifteen = flushInterval.multipliedBy(15);
    return fifteen.compareTo(Duration.ofSeconds(30)) > 0 ? fifteen : Duration.ofSeconds(30);
  }
}
