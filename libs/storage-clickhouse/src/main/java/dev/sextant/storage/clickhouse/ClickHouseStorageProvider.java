package dev.sextant.storage.clickhouse;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.StorageProvider;
import dev.sextant.storage.StorageSettings;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Registers the ClickHouse backend as {@code sextant.storage.kind=clickhouse}. Settings, under
 * {@code sextant.storage.clickhouse.}: {@code endpoint}, {@code username}, {@code password}, {@code
 * database}, {@code cluster}, {@code replicated}, {@code on-cluster-ddl}, {@code cluster-nodes}
 * (comma-separated endpoints), {@code async-insert}, {@code connect-timeout}, {@code
 * request-timeout} (durations: {@code 5s}, {@code PT5S}), {@code max-concurrent-requests}, {@code
 * request-queue-capacity}, {@code safe-ingest-records-per-second}, {@code span-ttl-days}, {@code
 * log-ttl-days}, {@code metric-ttl-days}; see {@link ClickHouseStorage.Builder}.
 */
public final class ClickHouseStorageProvider implements StorageProvider {
  private static final String ENDPOINT = "endpoint";
  private static final String USERNAME = "username";
  private static final String PASSWORD = "password";
  private static final String DATABASE = "database";
  private static final String CLUSTER = "cluster";
  private static final String REPLICATED = "replicated";
  private static final String ON_CLUSTER_DDL = "on-cluster-ddl";
  private static final String CLUSTER_NODES = "cluster-nodes";
  private static final String ASYNC_INSERT = "async-insert";
  private static final String CONNECT_TIMEOUT = "connect-timeout";
  private static final String REQUEST_TIMEOUT = "request-timeout";
  private static final String MAX_CONCURRENT_REQUESTS = "max-concurrent-requests";
  private static final String REQUEST_QUEUE_CAPACITY = "request-queue-capacity";
  private static final String SAFE_INGEST_RATE = "safe-ingest-records-per-second";
  private static final String SPAN_TTL_DAYS = "span-ttl-days";
  private static final String LOG_TTL_DAYS = "log-ttl-days";
  private static final String METRIC_TTL_DAYS = "metric-ttl-days";

  @Override
  public String kind() {
    return "clickhouse";
  }

  @Override
  public Set<String> settingNames() {
    return Set.of(
        ENDPOINT,
        USERNAME,
        PASSWORD,
        DATABASE,
        CLUSTER,
        REPLICATED,
        ON_CLUSTER_DDL,
        CLUSTER_NODES,
        ASYNC_INSERT,
        CONNECT_TIMEOUT,
        REQUEST_TIMEOUT,
        MAX_CONCURRENT_REQUESTS,
        REQUEST_QUEUE_CAPACITY,
        SAFE_INGEST_RATE,
        SPAN_TTL_DAYS,
        LOG_TTL_DAYS,
        METRIC_TTL_DAYS);
  }

  @Override
  public StorageComponent create(StorageSettings settings) {
    ClickHouseStorage.Builder builder =
        ClickHouseStorage.builder()
            .endpoint(settings.string(ENDPOINT, "http://127.0.0.1:8123"))
            .username(settings.string(USERNAME, "default"))
            .password(settings.string(PASSWORD, ""))
            .database(settings.string(DATABASE, "sextant"))
            .cluster(settings.string(CLUSTER, null))
            .replicated(bool(settings, REPLICATED, true))
            .onClusterDdl(bool(settings, ON_CLUSTER_DDL, true))
            .asyncInsert(bool(settings, ASYNC_INSERT, true));
    String nodes = settings.string(CLUSTER_NODES, "");
    if (!nodes.isBlank()) {
      builder.clusterNodes(
          Arrays.stream(nodes.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList());
    }
    settings.duration(CONNECT_TIMEOUT).ifPresent(builder::connectTimeout);
    settings.duration(REQUEST_TIMEOUT).ifPresent(builder::requestTimeout);
    settings.integer(MAX_CONCURRENT_REQUESTS).ifPresent(builder::maxConcurrentRequests);
    settings.integer(REQUEST_QUEUE_CAPACITY).ifPresent(builder::requestQueueCapacity);
    settings.integer(SAFE_INGEST_RATE).ifPresent(builder::safeIngestRecordsPerSecond);
    settings.integer(SPAN_TTL_DAYS).ifPresent(builder::spanTtlDays);
    settings.integer(LOG_TTL_DAYS).ifPresent(builder::logTtlDays);
    settings.integer(METRIC_TTL_DAYS).ifPresent(builder::metricTtlDays);
    return builder.build();
  }

  private static boolean bool(StorageSettings settings, String name, boolean defaultValue) {
    String value = settings.string(name, null);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "sextant.storage.clickhouse." + name + " must be true or false, got: " + value);
    };
  }
}
