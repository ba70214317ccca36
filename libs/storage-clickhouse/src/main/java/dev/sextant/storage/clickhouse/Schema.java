package dev.sextant.storage.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * Table names and DDL for one node or a cluster (ADR 0013). On one node each table is a plain
 * {@code *MergeTree} table. In cluster mode each table {@code t} is a local table {@code t_local}
 * on every node ({@code Replicated*MergeTree} when replicated) behind a {@code Distributed} table
 * {@code t} sharded by a stable key — the trace id for spans, the series id for series and samples
 * — so every row of a trace and of a series lives on one shard, and {@code FINAL}, {@code GROUP BY
 * trace_id} and {@code IN} subqueries are exact shard by shard.
 *
 * <p>Only validated identifiers ({@link ClickHouseOptions}) ever go into this text.
 */
final class Schema {
  static final String MIGRATIONS = "schema_migrations";
  static final String SPANS = "spans";
  static final String TRACE_INDEX = "trace_index";
  static final String TRACE_INDEX_VIEW = "trace_index_mv";
  static final String LOGS = "logs";
  static final String SERIES = "series";
  static final String SAMPLES = "samples";
  static final String METRIC_METADATA = "metric_metadata";
  static final String SPAN_PAYLOADS = "span_payloads";
  static final String METRIC_EVENTS = "metric_events";
  static final String SCORES = "scores";
  static final String FEEDBACK = "feedback";
  static final String ROLLUPS_1M = "rollups_1m";
  static final String ROLLUPS_1H = "rollups_1h";
  static final String ROLLUP_MARKS = "rollup_marks";
  static final String RETENTION_POLICIES = "retention_policies";
  static final String RETENTION_LEASES = "retention_leases";
  static final String RETENTION_RUNS = "retention_runs";

  private final ClickHouseOptions options;

  Schema(ClickHouseOptions options) {
    this.options = options;
  }

  ClickHouseOptions options() {
    return options;
  }

  String database() {
    return options.database();
  }

  boolean clustered() {
    return options.clustered();
  }

  /** The table reads and inserts go to: the Distributed one in cluster mode. */
  String table(String name) {
    return options.database() + "." + name;
  }

  /** The table that holds the rows on a node: what DELETE and ALTER act on. */
  String local(String name) {
    return options.database() + "." + (clustered() ? name + "_local" : name);
  }

  /** {@code ON CLUSTER `name`} when DDL goes through the cluster's DDL queue, else nothing. */
  String onCluster() {
    return clustered() && options.onClusterDdl() ? " ON CLUSTER `" + options.cluster() + "`" : "";
  }

  String createDatabase() {
    return "CREATE DATABASE IF NOT EXISTS " + options.database() + onCluster();
  }

  /**
   * The statements creating one table: on one node the table itself; in cluster mode the local
   * table, then the Distributed table over it.
   *
   * @param columns the column and index list
   * @param engine the MergeTree family engine without {@code Replicated}, e.g. {@code
   *     ReplacingMergeTree(version)}
   * @param tail PARTITION BY, ORDER BY, TTL and SETTINGS clauses
   * @param shardingKey the Distributed sharding expression
   */
  List<String> createTable(
      String name, String columns, String engine, String tail, String shardingKey) {
    List<String> statements = new ArrayList<>();
    statements.add(
        "CREATE TABLE IF NOT EXISTS "
            + local(name)
            + onCluster()
            + " (\n"
            + columns
            + "\n) ENGINE = "
            + engine(name, engine)
            + "\n"
            + tail);
    if (clustered()) {
      statements.add(
          "CREATE TABLE IF NOT EXISTS "
              + table(name)
              + onCluster()
              + " AS "
              + local(name)
              + " ENGINE = Distributed(`"
              + options.cluster()
              + "`, "
              + options.database()
              + ", "
              + name
              + "_local, "
              + shardingKey
              + ")");
    }
    return statements;
  }

  private String engine(String name, String engine) {
    if (!clustered() || !options.replicated()) {
      return engine;
    }
    // ReplacingMergeTree(version) -> ReplicatedReplacingMergeTree('<path>', '{replica}', version)
    int paren = engine.indexOf('(');
    String family = paren < 0 ? engine : engine.substring(0, paren);
    String arguments = paren < 0 ? "" : engine.substring(paren + 1, engine.length() - 1);
    String path = "'/clickhouse/tables/{shard}/" + options.database() + "/" + name + "'";
    return "Replicated"
        + family
        + "("
        + path
        + ", '{replica}'"
        + (arguments.isEmpty() ? "" : ", " + arguments)
        + ")";
  }

  /** A TTL clause of {@code days} on a DateTime64 column, or nothing when {@code days} is 0. */
  static String ttl(String column, int days) {
    return days == 0 ? "" : "\nTTL toDateTime(" + column + ") + INTERVAL " + days + " DAY";
  }
}
