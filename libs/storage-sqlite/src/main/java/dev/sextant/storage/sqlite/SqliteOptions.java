package dev.sextant.storage.sqlite;

import java.nio.file.Path;
import java.time.Duration;

/** The settings a {@link SqliteStorage} was built with. */
record SqliteOptions(
    Path dataDir,
    Synchronous synchronous,
    Duration busyTimeout,
    int readerThreads,
    int writeQueueCapacity,
    int readQueueCapacity,
    int maxRowsPerCommit,
    int deleteBatchRows,
    int writerCacheKib,
    int readerCacheKib,
    int readerMmapMib,
    long safeIngestRecordsPerSecond,
    MetricOptions metrics) {}
