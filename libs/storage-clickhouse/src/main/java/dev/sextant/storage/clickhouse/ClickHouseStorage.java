package dev.sextant.storage.clickhouse;

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
import dev.sextant.storage.retention.RetentionStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The ClickHouse backend (kind {@code clickhouse}): spans, logs, metrics, span payloads, metric
 * events, scores, feedback and retention's records in MergeTree tables of one database, over HTTP
 * with the official client, on one node or a cluster (ADR 0013). Constructing it does no I/O;
 * {@link #start()} connects and migrates the schema.
 */
public final class ClickHouseStorage extends StorageComponent {

  private final ClickHouseOptions options;
  private final ClickHouseAccess access;
  private final Schema schema;
  private final ClickHouseSpanStore spans;
  private final ClickHouseLogStore logs;
  private final ClickHouseMetricStore metrics;
  private final ClickHousePayloadStore payloads;
  private final ClickHouseEventStore<MetricEvent> metricEvents;
  private final ClickHouseEventStore<Score> scores;
  private final ClickHouseEventStore<Feedback> feedback;
  private final ClickHouseRetentionStore retention;

  private ClickHouseStorage(ClickHouseOptions options) {
    this.options = options;
    this.access = new ClickHouseAccess(options);
    this.schema = new Schema(options);
    VersionClock versions = new VersionClock();
    this.spans = new ClickHouseSpanStore(access, schema, versions);
    this.logs = new ClickHouseLogStore(access, schema);
    this.metrics = new ClickHouseMetricStore(access, schema, versions);
    this.payloads = new ClickHousePayloadStore(access, schema, versions);
    this.metricEvents = ClickHouseEventStore.metricEvents(access, schema, versions);
    this.scores = ClickHouseEventStore.scores(access, schema, versions);
    this.feedback = ClickHouseEventStore.feedback(access, schema, versions);
    this.retention = new ClickHouseRetentionStore(access, schema, versions);
  }

  ClickHouseOptions options() {
    return options;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void start() {
    access.open();
    Migrations.apply(access, schema);
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

  @Override
  public RetentionStore retention() {
    return retention;
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities("clickhouse", true, options.safeIngestRecordsPerSecond());
  }

  @Override
  public CheckResult check() {
    if (!access.isOpen()) {
      return new CheckResult(false, "ClickHouse storage is not open");
    }
    String problem = access.ping();
    return problem.isEmpty() ? CheckResult.OK : new CheckResult(false, problem);
  }

  @Override
  public void close() {
    access.close();
  }

  /** Settings of the ClickHouse backend; {@link #build()} does no I/O. */
  public static final class Builder {
    private String endpoint = "http://127.0.0.1:8123";
    private String username = "default";
    private String password = "";
    private String database = "sextant";
    private String cluster;
    private boolean replicated = true;
    private boolean onClusterDdl = true;
    private List<String> clusterNodes = List.of();
    private boolean asyncInsert = true;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxConcurrentRequests = 8;
    private int requestQueueCapacity = 1024;
    private long safeIngestRecordsPerSecond = 50_000;
    private int spanTtlDays;
    private int logTtlDays;
    private int metricTtlDays;

    private Builder() {}

    /** The HTTP endpoint, e.g. {@code http://127.0.0.1:8123}. */
    public Builder endpoint(String endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint);
      return this;
    }

    public Builder username(String username) {
      this.username = Objects.requireNonNull(username);
      return this;
    }

    public Builder password(String password) {
      this.password = Objects.requireNonNull(password);
      return this;
    }

    /** The database of every table (default {@code sextant}); created when missing. */
    public Builder database(String database) {
      this.database = Objects.requireNonNull(database);
      return this;
    }

    /**
     * Cluster mode: the cluster's name in the servers' {@code remote_servers}. Local tables on
     * every node behind Distributed tables; null (the default) for one node.
     */
    public Builder cluster(String cluster) {
      this.cluster = cluster == null || cluster.isBlank() ? null : cluster.strip();
      return this;
    }

    /** In cluster mode: Replicated local tables (the default; needs Keeper) or plain ones. */
    public Builder replicated(boolean replicated) {
      this.replicated = replicated;
      return this;
    }

    /**
     * In cluster mode: run DDL and deletes once {@code ON CLUSTER} (the default; needs Keeper), or,
     * when false, on each of {@link #clusterNodes} in turn.
     */
    public Builder onClusterDdl(boolean onClusterDdl) {
      this.onClusterDdl = onClusterDdl;
      return this;
    }

    /** The HTTP endpoint of every node, for cluster DDL without {@code ON CLUSTER}. */
    public Builder clusterNodes(List<String> clusterNodes) {
      this.clusterNodes = List.copyOf(clusterNodes);
      return this;
    }

    /**
     * Whether inserts go through the server's async insert buffer (default true): many small
     * concurrent writes then make few parts. Writes still complete only once stored ({@code
     * wait_for_async_insert=1}).
     */
    public Builder asyncInsert(boolean asyncInsert) {
      this.asyncInsert = asyncInsert;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout);
      return this;
    }

    /** How long one request may take before it fails as unavailable (default 60 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout);
      return this;
    }

    /** Requests in flight at once, and threads that run them (default 8). */
    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    /** Requests waiting for a thread before new ones fail as overloaded (default 1024). */
    public Builder requestQueueCapacity(int requestQueueCapacity) {
      this.requestQueueCapacity = requestQueueCapacity;
      return this;
    }

    /** Declared in {@link Capabilities}; ingest throttles to it (default 50,000). */
    public Builder safeIngestRecordsPerSecond(long safeIngestRecordsPerSecond) {
      this.safeIngestRecordsPerSecond = safeIngestRecordsPerSecond;
      return this;
    }

    /** TTL of spans in days, set when the tables are created (default 0: none). */
    public Builder spanTtlDays(int days) {
      this.spanTtlDays = days;
      return this;
    }

    /** TTL of logs in days, set when the tables are created (default 0: none). */
    public Builder logTtlDays(int days) {
      this.logTtlDays = days;
      return this;
    }

    /** TTL of metric points in days, set when the tables are created (default 0: none). */
    public Builder metricTtlDays(int days) {
      this.metricTtlDays = days;
      return this;
    }

    public ClickHouseStorage build() {
      return new ClickHouseStorage(
          new ClickHouseOptions(
              endpoint,
              username,
              password,
              database,
              cluster,
              replicated,
              onClusterDdl,
              clusterNodes,
              asyncInsert,
              connectTimeout,
              requestTimeout,
              maxConcurrentRequests,
              requestQueueCapacity,
              safeIngestRecordsPerSecond,
              spanTtlDays,
              logTtlDays,
              metricTtlDays));
    }
  }
}
