package dev.sextant.storage.postgres;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageProvider;
import dev.sextant.storage.StorageSettings;
import java.nio.file.Path;
import java.util.Set;

/**
 * Registers the PostgreSQL backend as {@code sextant.storage.kind=postgres}. Settings, under {@code
 * sextant.storage.postgres.} (or the environment, {@code SEXTANT_STORAGE_POSTGRES_URL} ...): {@code
 * url} (required), {@code username}, {@code password}, {@code password-file} (a mounted secret),
 * {@code schema}, {@code ssl-mode}, {@code ssl-root-cert}, {@code ssl-cert}, {@code ssl-key},
 * {@code event-loops}, {@code pool-size}, {@code pool-wait-queue}, {@code pipelining-limit}, {@code
 * connect-timeout}, {@code statement-timeout}, {@code lock-timeout} (durations: {@code 30s}, {@code
 * 500ms}), {@code partition-days-ahead}, {@code delete-batch-rows}, {@code
 * safe-ingest-records-per-second}, {@code metric-flush-interval}, {@code metric-max-chunk-points},
 * {@code metric-compaction-fan-in}, {@code metric-max-points-per-flush}; see {@link
 * PostgresStorage.Builder} for their meaning and defaults.
 */
public final class PostgresStorageProvider implements StorageProvider {
  private static final String URL = "url";
  private static final String USERNAME = "username";
  private static final String PASSWORD = "password";
  private static final String PASSWORD_FILE = "password-file";
  private static final String SCHEMA = "schema";
  private static final String SSL_MODE = "ssl-mode";
  private static final String SSL_ROOT_CERT = "ssl-root-cert";
  private static final String SSL_CERT = "ssl-cert";
  private static final String SSL_KEY = "ssl-key";
  private static final String EVENT_LOOPS = "event-loops";
  private static final String POOL_SIZE = "pool-size";
  private static final String POOL_WAIT_QUEUE = "pool-wait-queue";
  private static final String PIPELINING_LIMIT = "pipelining-limit";
  private static final String CONNECT_TIMEOUT = "connect-timeout";
  private static final String STATEMENT_TIMEOUT = "statement-timeout";
  private static final String LOCK_TIMEOUT = "lock-timeout";
  private static final String PARTITION_DAYS_AHEAD = "partition-days-ahead";
  private static final String DELETE_BATCH_ROWS = "delete-batch-rows";
  private static final String SAFE_INGEST_RATE = "safe-ingest-records-per-second";
  private static final String METRIC_FLUSH_INTERVAL = "metric-flush-interval";
  private static final String METRIC_MAX_CHUNK_POINTS = "metric-max-chunk-points";
  private static final String METRIC_COMPACTION_FAN_IN = "metric-compaction-fan-in";
  private static final String METRIC_MAX_POINTS_PER_FLUSH = "metric-max-points-per-flush";

  @Override
  public String kind() {
    return "postgres";
  }

  @Override
  public Set<String> settingNames() {
    return Set.of(
        URL,
        USERNAME,
        PASSWORD,
        PASSWORD_FILE,
        SCHEMA,
        SSL_MODE,
        SSL_ROOT_CERT,
        SSL_CERT,
        SSL_KEY,
        EVENT_LOOPS,
        POOL_SIZE,
        POOL_WAIT_QUEUE,
        PIPELINING_LIMIT,
        CONNECT_TIMEOUT,
        STATEMENT_TIMEOUT,
        LOCK_TIMEOUT,
        PARTITION_DAYS_AHEAD,
        DELETE_BATCH_ROWS,
        SAFE_INGEST_RATE,
        METRIC_FLUSH_INTERVAL,
        METRIC_MAX_CHUNK_POINTS,
        METRIC_COMPACTION_FAN_IN,
        METRIC_MAX_POINTS_PER_FLUSH);
  }

  @Override
  public StorageComponent create(StorageSettings settings) {
    String url = settings.string(URL, null);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "sextant.storage.postgres.url is required (SEXTANT_STORAGE_POSTGRES_URL), e.g."
              + " postgresql://sextant@db.example:5432/sextant?sslmode=verify-full");
    }
    PostgresStorage.Builder builder = PostgresStorage.builder().url(url.strip());
    String user = settings.string(USERNAME, null);
    if (user != null) {
      builder.user(user);
    }
    String password = settings.string(PASSWORD, null);
    if (password != null) {
      builder.password(password);
    }
    String passwordFile = settings.string(PASSWORD_FILE, null);
    if (passwordFile != null) {
      builder.passwordFile(Path.of(passwordFile));
    }
    String schema = settings.string(SCHEMA, null);
    if (schema != null) {
      try {
        builder.schema(schema.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sextant.storage.postgres." + e.getMessage());
      }
    }
    String sslMode = settings.string(SSL_MODE, null);
    if (sslMode != null) {
      try {
        builder.sslMode(sslMode);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sextant.storage.postgres." + e.getMessage());
      }
    }
    String rootCert = settings.string(SSL_ROOT_CERT, null);
    if (rootCert != null) {
      builder.sslRootCert(Path.of(rootCert));
    }
    String cert = settings.string(SSL_CERT, null);
    String key = settings.string(SSL_KEY, null);
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          "sextant.storage.postgres.ssl-cert and ssl-key go together: set both or neither");
    }
    if (cert != null) {
      builder.sslClientCert(Path.of(cert), Path.of(key));
    }
    settings.integer(EVENT_LOOPS).ifPresent(builder::eventLoops);
    settings.integer(POOL_SIZE).ifPresent(builder::poolSize);
    settings.integer(POOL_WAIT_QUEUE).ifPresent(builder::poolWaitQueue);
    settings.integer(PIPELINING_LIMIT).ifPresent(builder::pipeliningLimit);
    settings.duration(CONNECT_TIMEOUT).ifPresent(builder::connectTimeout);
    settings.duration(STATEMENT_TIMEOUT).ifPresent(builder::statementTimeout);
    settings.duration(LOCK_TIMEOUT).ifPresent(builder::lockTimeout);
    settings.integer(PARTITION_DAYS_AHEAD).ifPresent(builder::partitionDaysAhead);
    settings.integer(DELETE_BATCH_ROWS).ifPresent(builder::deleteBatchRows);
    settings.integer(SAFE_INGEST_RATE).ifPresent(builder::safeIngestRecordsPerSecond);
    settings.duration(METRIC_FLUSH_INTERVAL).ifPresent(builder::metricFlushInterval);
    settings.integer(METRIC_MAX_CHUNK_POINTS).ifPresent(builder::metricMaxChunkPoints);
    settings.integer(METRIC_COMPACTION_FAN_IN).ifPresent(builder::metricCompactionFanIn);
    settings.integer(METRIC_MAX_POINTS_PER_FLUSH).ifPresent(builder::metricMaxPointsPerFlush);
    return builder.build();
  }
}
