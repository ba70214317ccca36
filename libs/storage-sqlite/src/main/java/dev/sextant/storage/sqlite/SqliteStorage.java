package dev.sextant.storage.sqlite;

import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.storage.Capabilities;
import dev.sextant.storage.CheckResult;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.PayloadStore;
import dev.sextant.storage.SpanStore;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.StorageException.Code;
import dev.sextant.storage.retention.RetentionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The embedded default backend: one SQLite file per signal under a data directory ({@code
 * spans.db}, {@code logs.db}, {@code metrics.db}, {@code events.db}), in WAL mode, shared safely by
 * several processes (ingest, aggregator, retention and query each open the same files).
 *
 * <p>Per file, one writer thread commits queued writes in groups and a few reader threads query
 * with their own connections; SPI calls never run JDBC on the caller's thread. Their {@code Uni}s
 * complete on those threads, so a subscriber must not block in its callbacks (move blocking work
 * elsewhere, e.g. with {@code emitOn}).
 *
 * <pre>{@code
 * SqliteStorage storage = SqliteStorage.builder().dataDir(Path.of("data")).build();
 * storage.start();
 * }</pre>
 */
public final class SqliteStorage extends StorageComponent {

  private final SqliteOptions options;
  private final Map<Signal, DatabaseAccess> access = new EnumMap<>(Signal.class);
  private final SqliteSpanStore spans;
  private final SqliteLogStore logs;
  private final SqliteMetricStore metrics;
  private final SqliteRetentionStore retention;
  private final SqlitePayloadStore payloads;
  private final SqliteEventStore<MetricEvent> metricEvents;
  private final SqliteEventStore<Score> scores;
  private final SqliteEventStore<Feedback> feedback;
  private final Capabilities capabilities;
  private State state = State.NEW;

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private SqliteStorage(SqliteOptions options) {
    this.options = options;
    for (Signal signal : Signal.values()) {
      access.put(signal, new DatabaseAccess(signal));
    }
    this.spans = new SqliteSpanStore(access.get(Signal.SPANS), options.deleteBatchRows());
    this.logs = new SqliteLogStore(access.get(Signal.LOGS), options.deleteBatchRows());
    this.metrics =
        new SqliteMetricStore(
            access.get(Signal.METRICS), options.deleteBatchRows(), options.metrics());
    this.retention = new SqliteRetentionStore(access, options.deleteBatchRows());
    this.payloads = new SqlitePayloadStore(access.get(Signal.SPANS), options.deleteBatchRows());
    DatabaseAccess events = access.get(Signal.EVENTS);
    this.metricEvents =
        new SqliteEventStore<>(events, SqliteEventCodec.METRIC_EVENTS, options.deleteBatchRows());
    this.scores =
        new SqliteEventStore<>(events, SqliteEventCodec.SCORES, options.deleteBatchRows());
    this.feedback =
        new SqliteEventStore<>(events, SqliteEventCodec.FEEDBACK, options.deleteBatchRows());
    this.capabilities =
        new Capabilities(
            "sqlite",
            true,
            options.safeIngestRecordsPerSecond(),
            options.metrics().flushInterval().toMillis());
  }

  /** The settings it was built with. */
  SqliteOptions options() {
    return options;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the data directory if needed, opens the three files, migrates their schemas and starts
   * their threads. Runs on the caller's thread (it is a startup step, not a request path) and waits
   * at most about the busy timeout for other processes holding the files. Idempotent; fails with
   * {@code UNAVAILABLE} after {@link #close()}, and with {@code INTERNAL} when a file has a newer
   * schema than this code knows.
   */
  @Override
  public synchronized void start() {
    switch (state) {
      case STARTED -> {
        return;
      }
      case CLOSED -> throw SqliteErrors.closed("sqlite storage");
      case NEW -> {}
    }
    try {
      Files.createDirectories(options.dataDir());
    } catch (IOException e) {
      throw new StorageException(
          Code.UNAVAILABLE, "cannot create the data directory " + options.dataDir(), e);
    }
    List<SqliteDatabase> opened = new ArrayList<>();
    try {
      for (Signal signal : Signal.values()) {
        SqliteDatabase database = SqliteDatabase.open(signal, options);
        opened.add(database);
        access.get(signal).open(database);
      }
    } catch (RuntimeException e) {
      for (Signal signal : Signal.values()) {
        access.get(signal).close();
      }
      opened.forEach(SqliteDatabase::close);
      state = State.CLOSED;
      throw e;
    }
    metrics.start();
    state = State.STARTED;
  }

  @Override
  public SpanStore spans() {
    return spans;
  }

  @Override
  public LogStore logs() {
    return logs;
  }

  @Override
  public MetricStore metrics() {
    return metrics;
  }

  @Override
  public RetentionStore retention() {
    return retention;
  }

  @Override
  public PayloadStore payloads() {
    return payloads;
  }

  @Override
  public EventStore<MetricEvent> metricEvents() {
    return metricEvents;
  }

  @Override
  public EventStore<Score> scores() {
    return scores;
  }

  @Override
  public EventStore<Feedback> feedback() {
    return feedback;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /** A cheap query on each file through its reader pool, with a short timeout; never throws. */
  @Override
  public CheckResult check() {
    try {
      for (Signal signal : Signal.values()) {
        CheckResult result = access.get(signal).require().check(2_000);
        if (!result.ok()) {
          return result;
        }
      }
      return CheckResult.OK;
    } catch (RuntimeException e) {
      return CheckResult.failed(e);
    }
  }

  /**
   * Flushes the metric head and gives the metric writer lease up, commits queued writes, stops the
   * threads and closes the files. Idempotent.
   */
  @Override
  public void close() {
    close(false);
  }

  /**
   * Closes as a killed process would leave things: the metric head is not flushed and the writer
   * lease is kept; what was written stays in the write-ahead log for the next writer. For tests.
   */
  void closeWithoutFlush() {
    close(true);
  }

  private synchronized void close(boolean crash) {
    if (state == State.STARTED) {
      metrics.close(crash);
    }
    state = State.CLOSED;
    for (Signal signal : Signal.values()) {
      SqliteDatabase database = access.get(signal).close();
      if (database != null) {
        database.close();
      }
    }
  }

  /**
   * Waits until metric compaction has nothing left to do; for tests of this package (compaction
   * otherwise runs on its own after flushes).
   */
  void awaitMetricCompaction() throws InterruptedException {
    Compactor compactor = metrics.writer().compactor();
    long deadline = System.nanoTime() + 30_000_000_000L;
    compactor.maybeStart();
    while (compactor.isRunning() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  Path dataDir() {
    return options.dataDir();
  }

  /** The metric writer: for tests and benchmarks of this package. */
  MetricWriter metricsForTest() {
    return metrics.writer();
  }

  /** The database of a signal while started: for tests of this package. */
  SqliteDatabase database(Signal signal) {
    return access.get(signal).require();
  }

  /** Settings for a {@link SqliteStorage}; only the data directory is required. */
  public static final class Builder {
    private Path dataDir;
    private Synchronous synchronous = Synchronous.FULL;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private int readerThreads = 2;
    private int writeQueueCapacity = 1024;
    private int readQueueCapacity = 256;
    private int maxRowsPerCommit = 10_000;
    private int deleteBatchRows = 5_000;
    private int writerCacheKib = 16 * 1024;
    private int readerCacheKib = 8 * 1024;
    private int readerMmapMib = 256;
    // SpanStoreBenchmark: ~41k spans/s typical on 2 busy cores, so 45k keeps ingest from queueing
    // far past what the writer drains; a burst beyond it gets a retryable OVERLOADED.
    private long safeIngestRecordsPerSecond = 45_000;
    private Duration metricFlushInterval = MetricOptions.DEFAULT_FLUSH_INTERVAL;
    private int metricMaxHeadPoints = MetricOptions.DEFAULT_MAX_HEAD_POINTS;
    private int metricCompactionFanIn = MetricOptions.DEFAULT_COMPACTION_FAN_IN;

    private Builder() {}

    /** Where {@code spans.db}, {@code logs.db} and {@code metrics.db} live. Required. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** {@code PRAGMA synchronous}; {@link Synchronous#FULL} (the default) survives power loss. */
    public Builder synchronous(Synchronous synchronous) {
      this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
      return this;
    }

    /** How long a connection waits for another process's lock before failing (default 5 s). */
    public Builder busyTimeout(Duration busyTimeout) {
      this.busyTimeout = positive(busyTimeout, "busyTimeout");
      return this;
    }

    /** Reader threads (each with its own connection) per file (default 2). */
    public Builder readerThreads(int readerThreads) {
      this.readerThreads = positive(readerThreads, "readerThreads");
      return this;
    }

    /** Write requests queued per file before writes fail with OVERLOADED (default 1024). */
    public Builder writeQueueCapacity(int writeQueueCapacity) {
      this.writeQueueCapacity = positive(writeQueueCapacity, "writeQueueCapacity");
      return this;
    }

    /** Queries queued per file before reads fail with OVERLOADED (default 256). */
    public Builder readQueueCapacity(int readQueueCapacity) {
      this.readQueueCapacity = positive(readQueueCapacity, "readQueueCapacity");
      return this;
    }

    /**
     * The writer stops adding queued writes to a transaction once it holds this many rows (default
     * 10,000): bigger groups mean fewer syncs, smaller ones a shorter wait per commit.
     */
    public Builder maxRowsPerCommit(int maxRowsPerCommit) {
      this.maxRowsPerCommit = positive(maxRowsPerCommit, "maxRowsPerCommit");
      return this;
    }

    /** Rows deleted per transaction by {@code deleteOlderThan} (default 5,000). */
    public Builder deleteBatchRows(int deleteBatchRows) {
      this.deleteBatchRows = positive(deleteBatchRows, "deleteBatchRows");
      return this;
    }

    /**
     * Page cache of each writer connection in KiB (default 16 MiB). Four services each open all
     * three files; 64 MiB gave no more throughput at 30k spans/s and cost 60 MB of RSS.
     */
    public Builder writerCacheKib(int writerCacheKib) {
      this.writerCacheKib = positive(writerCacheKib, "writerCacheKib");
      return this;
    }

    /** Page cache of each reader connection in KiB (default 8 MiB). */
    public Builder readerCacheKib(int readerCacheKib) {
      this.readerCacheKib = positive(readerCacheKib, "readerCacheKib");
      return this;
    }

    /**
     * How much of each file a reader connection maps into memory, in MiB (default 256; 0 reads
     * through system calls only). Mapped pages are the kernel's page cache, shared by every
     * connection and process, not heap; they count in a process's RSS once touched.
     */
    public Builder readerMmapMib(int readerMmapMib) {
      if (readerMmapMib < 0) {
        throw new IllegalArgumentException("readerMmapMib must not be negative");
      }
      this.readerMmapMib = readerMmapMib;
      return this;
    }

    /**
     * The ingest rate this backend declares as safe (default 30,000 records/s, what the span store
     * sustains with margin on a 2-core machine with synchronous=FULL).
     */
    public Builder safeIngestRecordsPerSecond(long safeIngestRecordsPerSecond) {
      if (safeIngestRecordsPerSecond <= 0) {
        throw new IllegalArgumentException("safeIngestRecordsPerSecond must be positive");
      }
      this.safeIngestRecordsPerSecond = safeIngestRecordsPerSecond;
      return this;
    }

    /**
     * How often the metric writer stores its head as chunks (default 2 s): how long after a write
     * completed its points may take to become readable, declared as {@link
     * Capabilities#metricVisibilityLagMillis()}. Longer means fewer, larger chunks.
     */
    public Builder metricFlushInterval(Duration metricFlushInterval) {
      this.metricFlushInterval = positive(metricFlushInterval, "metricFlushInterval");
      return this;
    }

    /**
     * Points the metric head holds before it is flushed early (default 1,000,000, about 50 MB):
     * bounds the writer's memory when writes outrun the flush interval.
     */
    public Builder metricMaxHeadPoints(int metricMaxHeadPoints) {
      this.metricMaxHeadPoints = positive(metricMaxHeadPoints, "metricMaxHeadPoints");
      return this;
    }

    /**
     * How many metric blocks of one level compaction merges into one of the next (default 30: a
     * minute of 2-second flushes, then half an hour, then 15 hours). Smaller means more compaction
     * work and fewer blocks for a read to visit.
     */
    public Builder metricCompactionFanIn(int metricCompactionFanIn) {
      if (metricCompactionFanIn < 2) {
        throw new IllegalArgumentException("metricCompactionFanIn must be at least 2");
      }
      this.metricCompactionFanIn = metricCompactionFanIn;
      return this;
    }

    /** The storage; does no I/O until {@link SqliteStorage#start()}. */
    public SqliteStorage build() {
      if (dataDir == null) {
        throw new IllegalStateException("dataDir is required");
      }
      return new SqliteStorage(
          new SqliteOptions(
              dataDir,
              synchronous,
              busyTimeout,
              readerThreads,
              writeQueueCapacity,
              readQueueCapacity,
              maxRowsPerCommit,
              deleteBatchRows,
              writerCacheKib,
              readerCacheKib,
              readerMmapMib,
              safeIngestRecordsPerSecond,
              new MetricOptions(
                  metricFlushInterval,
                  metricMaxHeadPoints,
                  metricCompactionFanIn,
                  MetricOptions.leaseFor(metricFlushInterval))));
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
