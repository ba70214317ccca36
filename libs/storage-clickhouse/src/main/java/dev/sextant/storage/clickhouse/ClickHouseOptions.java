package dev.sextant.storage.clickhouse;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How to reach ClickHouse and how to lay out the schema; built by {@link
 * ClickHouseStorage.Builder}.
 *
 * @param endpoint the HTTP endpoint, e.g. {@code http://127.0.0.1:8123}
 * @param database the database holding every table; created when missing
 * @param cluster the cluster name of {@code remote_servers} for cluster mode, or null for one node
 * @param replicated in cluster mode, whether local tables are {@code Replicated*MergeTree} (needs
 *     Keeper) or plain {@code *MergeTree} (sharding without replicas)
 * @param onClusterDdl in cluster mode, whether DDL and deletes run once {@code ON CLUSTER} (needs
 *     Keeper's distributed DDL queue) or on every endpoint of {@code clusterNodes} in turn
 * @param clusterNodes the HTTP endpoints of every node, for DDL without {@code ON CLUSTER}
 * @param asyncInsert whether inserts use the server's async insert buffer ({@code
 *     wait_for_async_insert=1}: still acknowledged only once stored)
 * @param ttlDays per-signal TTLs in days (0: none; retention deletes instead)
 */
record ClickHouseOptions(
    String endpoint,
    String username,
    String password,
    String database,
    String cluster,
    boolean replicated,
    boolean onClusterDdl,
    java.util.List<String> clusterNodes,
    boolean asyncInsert,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxConcurrentRequests,
    int requestQueueCapacity,
    long safeIngestRecordsPerSecond,
    int spanTtlDays,
    int logTtlDays,
    int metricTtlDays) {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  ClickHouseOptions {
    clusterNodes = clusterNodes == null ? java.util.List.of() : java.util.List.copyOf(clusterNodes);
    // Names go into DDL text, where parameters cannot stand: only plain identifiers are allowed.
    if (!IDENTIFIER.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "the ClickHouse database must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), got: "
              + database);
    }
    if (cluster != null && !CLUSTER_NAME.matcher(cluster).matches()) {
      throw new IllegalArgumentException(
          "the ClickHouse cluster name may hold letters, digits, '_', '.' and '-', got: "
              + cluster);
    }
    if (cluster != null && !onClusterDdl && clusterNodes.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster mode without ON CLUSTER DDL needs the endpoints of every node");
    }
    if (maxConcurrentRequests < 1 || requestQueueCapacity < 1) {
      throw new IllegalArgumentException("request pool and queue must hold at least one");
    }
    if (spanTtlDays < 0 || logTtlDays < 0 || metricTtlDays < 0) {
      throw new IllegalArgumentException("TTLs must not be negative");
    }
  }

  boolean clustered() {
    return cluster != null;
  }
}
