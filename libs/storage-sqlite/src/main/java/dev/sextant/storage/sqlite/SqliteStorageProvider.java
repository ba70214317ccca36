package dev.sextant.storage.sqlite;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageProvider;
import dev.sextant.storage.StorageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Registers the SQLite backend as {@code sextant.storage.kind=sqlite} (the default). Settings,
 * under {@code sextant.storage.sqlite.}: {@code data-dir} (default {@code ./data}), {@code
 * synchronous} ({@code FULL} or {@code NORMAL}), {@code busy-timeout-ms}, {@code reader-threads},
 * {@code write-queue-capacity}, {@code max-rows-per-commit}, {@code delete-batch-rows}, {@code
 * safe-ingest-records-per-second}, {@code writer-cache-kib}, {@code reader-cache-kib}, {@code
 * reader-mmap-mib}, {@code metric-flush-interval} (a duration: {@code 2s}, {@code 500ms}, {@code
 * PT2S}), {@code metric-max-head-points}, {@code metric-compaction-fan-in}; see {@link
 * SqliteStorage.Builder} for their meaning and defaults.
 */
public final class SqliteStorageProvider implements StorageProvider {
  private static final String DATA_DIR = "data-dir";
  private static final String SYNCHRONOUS = "synchronous";
  private static final String BUSY_TIMEOUT_MS = "busy-timeout-ms";
  private static final String READER_THREADS = "reader-threads";
  private static final String WRITE_QUEUE_CAPACITY = "write-queue-capacity";
  private static final String MAX_ROWS_PER_COMMIT = "max-rows-per-commit";
  private static final String DELETE_BATCH_ROWS = "delete-batch-rows";
  private static final String SAFE_INGEST_RATE = "safe-ingest-records-per-second";
  private static final String WRITER_CACHE_KIB = "writer-cache-kib";
  private static final String READER_CACHE_KIB = "reader-cache-kib";
  private static final String READER_MMAP_MIB = "reader-mmap-mib";
  private static final String METRIC_FLUSH_INTERVAL = "metric-flush-interval";
  private static final String METRIC_MAX_HEAD_POINTS = "metric-max-head-points";
  private static final String METRIC_COMPACTION_FAN_IN = "metric-compaction-fan-in";

  @Override
  public String kind() {
    return "sqlite";
  }

  @Override
  public Set<String> settingNames() {
    return Set.of(
        DATA_DIR,
        SYNCHRONOUS,
        BUSY_TIMEOUT_MS,
        READER_THREADS,
        WRITE_QUEUE_CAPACITY,
        MAX_ROWS_PER_COMMIT,
        DELETE_BATCH_ROWS,
        SAFE_INGEST_RATE,
        WRITER_CACHE_KIB,
        READER_CACHE_KIB,
        READER_MMAP_MIB,
        METRIC_FLUSH_INTERVAL,
        METRIC_MAX_HEAD_POINTS,
        METRIC_COMPACTION_FAN_IN);
  }

  @Override
  public StorageComponent create(StorageSettings settings) {
    SqliteStorage.Builder builder =
        SqliteStorage.builder()
            .dataDir(Path.of(settings.string(DATA_DIR, "./data")).toAbsolutePath().normalize());
    String synchronous = settings.string(SYNCHRONOUS, null);
    if (synchronous != null) {
      try {
        builder.synchronous(Synchronous.valueOf(synchronous.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "sextant.storage.sqlite.synchronous must be FULL or NORMAL, got: " + synchronous);
      }
    }
    settings.integer(BUSY_TIMEOUT_MS).ifPresent(ms -> builder.busyTimeout(Duration.ofMillis(ms)));
    settings.integer(READER_THREADS).ifPresent(builder::readerThreads);
    settings.integer(WRITE_QUEUE_CAPACITY).ifPresent(builder::writeQueueCapacity);
    settings.integer(MAX_ROWS_PER_COMMIT).ifPresent(builder::maxRowsPerCommit);
    settings.integer(DELETE_BATCH_ROWS).ifPresent(builder::deleteBatchRows);
    settings.integer(SAFE_INGEST_RATE).ifPresent(builder::safeIngestRecordsPerSecond);
    settings.integer(WRITER_CACHE_KIB).ifPresent(builder::writerCacheKib);
    settings.integer(READER_CACHE_KIB).ifPresent(builder::readerCacheKib);
    settings.integer(READER_MMAP_MIB).ifPresent(builder::readerMmapMib);
    settings.duration(METRIC_FLUSH_INTERVAL).ifPresent(builder::metricFlushInterval);
    settings.integer(METRIC_MAX_HEAD_POINTS).ifPresent(builder::metricMaxHeadPoints);
    settings.integer(METRIC_COMPACTION_FAN_IN).ifPresent(builder::metricCompactionFanIn);
    return builder.build();
  }
}
