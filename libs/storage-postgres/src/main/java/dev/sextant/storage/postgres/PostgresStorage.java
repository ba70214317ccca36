package dev.sextant.storage.postgres;

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
import io.vertx.pgclient.SslMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The PostgreSQL backend (kind {@code postgres}, persistent): spans, logs and metrics in one schema
 * of a PostgreSQL 13+ database, reached with the Vert.x reactive client — non-blocking end to end,
 * pipelined, prepared statements, one bounded pool. Time-series tables are partitioned by day
 * (created ahead by every process, hourly) so retention drops whole days. Several processes (the
 * four services) share the schema; advisory locks coordinate migrations, partition changes and
 * metric flushes.
 *
 * <pre>{@code
 * PostgresStorage storage = PostgresStorage.builder()
 *     .url("postgresql://sextant@db:5432/sextant?sslmode=verify-full")
 *     .password(System.getenv("PGPASSWORD"))
 *     .sslRootCert(Path.of("/etc/sextant/db-ca.pem"))
 *     .build();
 * storage.start();
 * }</pre>
 */
public final class PostgresStorage extends StorageComponent {
  private static final System.Logger LOG = System.getLogger(PostgresStorage.class.getName());

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final PostgresOptions options;
  private final PgClient client;
  private final PgSpanStore spans;
  private final PgLogStore logs;
  private final PgMetricStore metrics;
  private final PgPayloadStore payloads;
  private final PgEventStore<MetricEvent> metricEvents;
  private final PgEventStore<Score> scores;
  private final PgEventStore<Feedback> feedback;
  private final PgRetentionStore retention;
  private final Capabilities capabilities;
  private State state = State.NEW;
  private long maintenanceTimer = -1;

  private PostgresStorage(PostgresOptions options) {
    this.options = options;
    this.client = new PgClient(options);
    this.spans = new PgSpanStore(client, options.schema(), options.deleteBatchRows());
    this.logs = new PgLogStore(client, options.schema(), options.deleteBatchRows());
    this.metrics = new PgMetricStore(client, options.schema(), options);
    this.payloads = new PgPayloadStore(client, options.schema(), options.deleteBatchRows());
    this.metricEvents =
        new PgEventStore<>(
            client, options.schema(), PgEventCodec.METRIC_EVENTS, options.deleteBatchRows());
    this.scores =
        new PgEventStore<>(
            client, options.schema(), PgEventCodec.SCORES, options.deleteBatchRows());
    this.feedback =
        new PgEventStore<>(
            client, options.schema(), PgEventCodec.FEEDBACK, options.deleteBatchRows());
    this.retention =
        new PgRetentionStore(
            client,
            options.schema(),
            options.deleteBatchRows(),
            metrics.writer(),
            metrics.backfill());
    this.capabilities =
        new Capabilities(
            "postgres",
            true,
            options.safeIngestRecordsPerSecond(),
            // A write lands in the next flush; that flush takes a moment to commit.
            options.metrics().flushInterval().toMillis() + 1_000);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects, migrates the schema and creates the daily partitions from yesterday to {@code
   * partitionDaysAhead} days ahead, then starts rolling up in the background the metrics a schema
   * version 4 stored (ADR 0016); runs on the caller's thread (a startup step) and waits at most
   * about the connect and statement timeouts. Idempotent; fails with {@code UNAVAILABLE} when the
   * database cannot be reached or after {@link #close()}, with {@code INTERNAL} when the schema is
   * newer than this code.
   */
  @Override
  public synchronized void start() {
    switch (state) {
      case STARTED -> {
        return;
      }
      case CLOSED -> throw PgErrors.closed();
      case NEW -> {}
    }
    try {
      client.open();
      long timeout = options.connectTimeout().toMillis() + options.statementTimeout().toMillis();
      Migrations.migrate(client.vertxPool(), options.schema(), timeout);
      ensurePartitions(timeout);
      // Series stored before rollups were are rolled up after start: a large database would not
      // fit into the start timeout, and reads answer from their chunks meanwhile.
      if (options.metrics().backfillAtStart()) {
        metrics.backfill().start();
      }
      maintenanceTimer =
          client
              .vertx()
              .setPeriodic(
                  Duration.ofHours(1).toMillis(),
                  id ->
                      ensurePartitionsAsync()
                          .onFailure(
                              e ->
                                  LOG.log(
                                      System.Logger.Level.WARNING,
                                      "creating partitions ahead failed: " + e.getMessage())));
    } catch (RuntimeException e) {
      client.close();
      state = State.CLOSED;
      throw e instanceof StorageException s
          ? s
          : new StorageException(Code.INTERNAL, "cannot start postgres storage: " + e, e);
    }
    state = State.STARTED;
  }

  private void ensurePartitions(long timeoutMillis) {
    PgClient.await(ensurePartitionsAsync(), timeoutMillis, "creating partitions");
  }

  private io.vertx.core.Future<Integer> ensurePartitionsAsync() {
    long today = Partitions.dayOf(System.currentTimeMillis() * 1_000_000L);
    return Partitions.ensure(
        client.vertxPool(),
        options.schema(),
        today - Partitions.DAY_NANOS,
        today + options.partitionDaysAhead() * Partitions.DAY_NANOS);
  }

  /** Creates the daily partitions of the given days (first nanoseconds); for tests. */
  void ensurePartitions(long fromDay, long toDay) {
    PgClient.await(
        Partitions.ensure(client.vertxPool(), options.schema(), fromDay, toDay),
        60_000,
        "creating partitions");
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

  /**
   * Policies, runs and leases in their tables; spans, logs, raw metric samples and rollup tiers
   * aged by retention's policies.
   */
  @Override
  public RetentionStore retention() {
    return retention;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /** {@code SELECT 1} through the pool within 2 seconds; never throws. */
  @Override
  public CheckResult check() {
    try {
      client
          .query("checking the database", "SELECT 1", io.vertx.sqlclient.Tuple.tuple())
          .await()
          .atMost(Duration.ofSeconds(2));
      return CheckResult.OK;
    } catch (RuntimeException e) {
      return CheckResult.failed(e);
    }
  }

  /** Flushes the metrics this process logged, closes the pool and the event loops. Idempotent. */
  @Override
  public synchronized void close() {
    if (state == State.STARTED) {
      metrics.close();
      if (maintenanceTimer >= 0) {
        client.vertx().cancelTimer(maintenanceTimer);
      }
    }
    client.close();
    state = State.CLOSED;
  }

  PgClient client() {
    return client;
  }

  PostgresOptions options() {
    return options;
  }

  PgMetricStore metricStore() {
    return metrics;
  }

  /** Settings for a {@link PostgresStorage}; only the URL is required. */
  public static final class Builder {
    private String url;
    private String user;
    private String password;
    private Path passwordFile;
    private String schema = "sextant";
    private SslMode sslMode;
    private Path sslRootCert;
    private Path sslCert;
    private Path sslKey;
    private int eventLoops = 2;
    private int poolSize = 8;
    private int poolWaitQueue = 1024;
    private int pipeliningLimit = 256;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration statementTimeout = Duration.ofSeconds(30);
    private Duration lockTimeout = Duration.ofSeconds(10);
    private int partitionDaysAhead = 3;
    private int deleteBatchRows = 10_000;
    private long safeIngestRecordsPerSecond = 20_000;
    private Duration metricFlushInterval = Duration.ofSeconds(2);
    private int metricMaxChunkPoints = 2048;
    private int metricCompactionFanIn = 8;
    private int metricMaxPointsPerFlush = 2_000_000;
    private int metricBackfillBatchSeries = RollupBackfill.BATCH_SERIES;
    private int metricFlushBatchSeries = MetricWriter.SERIES_PER_BATCH;
    private boolean metricBackfillAtStart = true;

    private Builder() {}

    /**
     * The database: {@code postgresql://[user[:password]@]host[:port]/database[?sslmode=...]}
     * ({@code jdbc:postgresql://...} is accepted too). Required.
     */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /** The role to log in as, overriding the URL's. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** Its password, overriding the URL's. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /**
     * A file holding the password (a mounted Kubernetes secret), read at {@code start()}; trailing
     * newlines are ignored.
     */
    public Builder passwordFile(Path passwordFile) {
      this.passwordFile = passwordFile;
      return this;
    }

    /**
     * The schema Sextant's tables live in (default {@code sextant}), created if missing: lowercase
     * letters, digits and {@code _}.
     */
    public Builder schema(String schema) {
      if (!Identifiers.isValid(schema)) {
        throw new IllegalArgumentException(
            "schema must be lowercase letters, digits and _ (at most 63): " + schema);
      }
      this.schema = schema;
      return this;
    }

    /**
     * TLS to the database, as libpq's {@code sslmode}: {@code disable}, {@code allow}, {@code
     * prefer}, {@code require} (encrypt; verify only with a root certificate), {@code verify-ca},
     * {@code verify-full} (and check the host name). Overrides the URL's.
     */
    public Builder sslMode(String mode) {
      try {
        this.sslMode = SslMode.of(mode.strip().toLowerCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "ssl-mode must be disable, allow, prefer, require, verify-ca or verify-full: " + mode);
      }
      return this;
    }

    /** PEM certificate(s) of the CA that signed the server's certificate. */
    public Builder sslRootCert(Path sslRootCert) {
      this.sslRootCert = sslRootCert;
      return this;
    }

    /** A client certificate and its key (PEM), for servers that authenticate clients by TLS. */
    public Builder sslClientCert(Path cert, Path key) {
      this.sslCert = cert;
      this.sslKey = key;
      return this;
    }

    /** Event-loop threads of the backend's own Vert.x instance (default 2). */
    public Builder eventLoops(int eventLoops) {
      this.eventLoops = positive(eventLoops, "eventLoops");
      return this;
    }

    /** Connections in the pool at most (default 8). */
    public Builder poolSize(int poolSize) {
      this.poolSize = positive(poolSize, "poolSize");
      return this;
    }

    /** Requests waiting for a connection at most; beyond it calls fail as OVERLOADED (1024). */
    public Builder poolWaitQueue(int poolWaitQueue) {
      this.poolWaitQueue = positive(poolWaitQueue, "poolWaitQueue");
      return this;
    }

    /** Statements one connection sends before their answers arrive (default 256). */
    public Builder pipeliningLimit(int pipeliningLimit) {
      this.pipeliningLimit = positive(pipeliningLimit, "pipeliningLimit");
      return this;
    }

    /** How long connecting may take (default 5 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * The server's {@code statement_timeout} for Sextant's sessions (default 30 s); a statement
     * that runs longer fails as OVERLOADED, which clients retry.
     */
    public Builder statementTimeout(Duration statementTimeout) {
      this.statementTimeout = positive(statementTimeout, "statementTimeout");
      return this;
    }

    /** The server's {@code lock_timeout} (default 10 s): partition changes never wait longer. */
    public Builder lockTimeout(Duration lockTimeout) {
      this.lockTimeout = positive(lockTimeout, "lockTimeout");
      return this;
    }

    /** Daily partitions created ahead of today (default 3). */
    public Builder partitionDaysAhead(int days) {
      if (days < 0) {
        throw new IllegalArgumentException("partitionDaysAhead must not be negative");
      }
      this.partitionDaysAhead = days;
      return this;
    }

    /** Rows deleted per statement by retention in partitions it cannot drop (default 10,000). */
    public Builder deleteBatchRows(int deleteBatchRows) {
      this.deleteBatchRows = positive(deleteBatchRows, "deleteBatchRows");
      return this;
    }

    /**
     * The span and log rate declared safe (default 20,000 records/s, measured on a 2-core machine
     * with the database on it; README); ingest throttles to it.
     */
    public Builder safeIngestRecordsPerSecond(long rate) {
      if (rate <= 0) {
        throw new IllegalArgumentException("safeIngestRecordsPerSecond must be positive");
      }
      this.safeIngestRecordsPerSecond = rate;
      return this;
    }

    /** How often the metric log is flushed into chunks (default 2 s): the visibility lag. */
    public Builder metricFlushInterval(Duration interval) {
      this.metricFlushInterval = positive(interval, "metricFlushInterval");
      return this;
    }

    /** Points per metric chunk at most (default 2048). */
    public Builder metricMaxChunkPoints(int points) {
      this.metricMaxChunkPoints = positive(points, "metricMaxChunkPoints");
      return this;
    }

    /** Chunks of one level a series window collects before they are merged (default 8). */
    public Builder metricCompactionFanIn(int fanIn) {
      if (fanIn < 2) {
        throw new IllegalArgumentException("metricCompactionFanIn must be at least 2");
      }
      this.metricCompactionFanIn = fanIn;
      return this;
    }

    /**
     * Logged points one flush transaction takes at most (default 2,000,000; less when the heap
     * would not hold them: a flush keeps about 70 bytes per point and makes garbage, so it takes at
     * most a point per 320 bytes of maximum heap). A flush's cost is mostly per series it touches,
     * so a flush that fell behind takes more points per series.
     */
    public Builder metricMaxPointsPerFlush(int points) {
      this.metricMaxPointsPerFlush = positive(points, "metricMaxPointsPerFlush");
      return this;
    }

    /** Series a flush makes and sends statements for at a time (default 10,000); for tests. */
    Builder metricFlushBatchSeries(int series) {
      this.metricFlushBatchSeries = positive(series, "metricFlushBatchSeries");
      return this;
    }

    /** Series the rollup backfill of a version-4 database takes per transaction; for tests. */
    Builder metricBackfillBatchSeries(int series) {
      this.metricBackfillBatchSeries = positive(series, "metricBackfillBatchSeries");
      return this;
    }

    /**
     * Whether {@code start()} starts the rollup backfill (default); tests that need it not begun
     * start it by hand ({@code metricStore().backfill().start()}).
     */
    Builder metricBackfillAtStart(boolean start) {
      this.metricBackfillAtStart = start;
      return this;
    }

    /** The storage; does no I/O until {@link PostgresStorage#start()}. */
    public PostgresStorage build() {
      if (url == null || url.isBlank()) {
        throw new IllegalStateException("url is required");
      }
      String scheme = url.startsWith("jdbc:") ? url.substring(5) : url;
      if (!scheme.startsWith("postgresql://") && !scheme.startsWith("postgres://")) {
        throw new IllegalArgumentException(
            "url must be postgresql://host[:port]/database[?sslmode=...], got: " + redacted(url));
      }
      return new PostgresStorage(
          new PostgresOptions(
              url,
              user,
              password,
              passwordFile,
              schema,
              sslMode,
              sslRootCert == null ? null : sslRootCert.toString(),
              sslCert == null ? null : sslCert.toString(),
              sslKey == null ? null : sslKey.toString(),
              eventLoops,
              poolSize,
              poolWaitQueue,
              pipeliningLimit,
              connectTimeout,
              statementTimeout,
              lockTimeout,
              partitionDaysAhead,
              deleteBatchRows,
              safeIngestRecordsPerSecond,
              new PostgresOptions.MetricOptions(
                  metricFlushInterval,
                  metricMaxChunkPoints,
                  metricCompactionFanIn,
                  metricMaxPointsPerFlush,
                  metricBackfillBatchSeries,
                  metricFlushBatchSeries,
                  metricBackfillAtStart)));
    }

    /** The URL without a password, for messages. */
    static String redacted(String url) {
      return url.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
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

  /** The password from its file, read when connecting. */
  static String readPassword(Path file) {
    try {
      return Files.readString(file).stripTrailing();
    } catch (IOException e) {
      throw new StorageException(
          Code.UNAVAILABLE, "cannot read the database password file " + file, e);
    }
  }
}
