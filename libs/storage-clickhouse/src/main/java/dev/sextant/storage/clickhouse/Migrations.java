package dev.sextant.storage.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Versioned schema migrations. Each version is a list of statements made from the {@link Schema}
 * (so one definition serves one node and a cluster), applied in order and recorded in {@code
 * schema_migrations}. Statements are idempotent ({@code IF NOT EXISTS}), so services starting
 * together, or a start that died half way, just apply them again. Never change a released version;
 * add the next one.
 */
final class Migrations {

  /** One schema version. */
  record Migration(int version, String description, Function<Schema, List<String>> statements) {}

  static final List<Migration> ALL =
      List.of(
          new Migration(1, "create tables", Migrations::v1),
          new Migration(2, "sample times and values: Delta, ZSTD", Migrations::v2),
          new Migration(3, "span and log attributes stored once", Migrations::v3),
          new Migration(4, "metric event costs as columns", Migrations::v4));

  private Migrations() {}

  /** Brings the schema up to date; returns the versions applied. */
  static List<Integer> apply(ClickHouseAccess access, Schema schema) {
    access.ddl(schema.createDatabase());
    for (String statement :
        schema.createTable(
            Schema.MIGRATIONS,
            "  version UInt32,\n  description String,\n  applied_at DateTime DEFAULT now()",
            "MergeTree",
            "ORDER BY version",
            "version")) {
      access.ddl(statement);
    }
    long current =
        access.runNow(
            "read the schema version",
            c ->
                access.queryBlocking(
                    c,
                    "SELECT toUInt32(max(version)) FROM " + schema.table(Schema.MIGRATIONS),
                    Map.of(),
                    in -> in.hasMore() ? Integer.toUnsignedLong(in.int32()) : 0L));
    List<Integer> applied = new ArrayList<>();
    for (Migration migration : ALL) {
      if (migration.version() <= current) {
        continue;
      }
      for (String statement : migration.statements().apply(schema)) {
        access.ddl(statement);
      }
      access.runNow(
          "record schema version " + migration.version(),
          c -> {
            access.executeBlocking(
                c,
                "INSERT INTO "
                    + schema.table(Schema.MIGRATIONS)
                    + " (version, description) VALUES ({v:UInt32}, {d:String})",
                Map.of("v", migration.version(), "d", migration.description()));
            return null;
          });
      applied.add(migration.version());
    }
    return applied;
  }

  /**
   * Metric samples, measured on 12.3 M points of 100,000 counters (README, "Running on
   * ClickHouse"): a series' times and values as deltas, then ZSTD, take 0.83 and 0.91 bytes a
   * point, against 2.99 ({@code DoubleDelta}, whose bit packing leaves ZSTD nothing to find) and
   * 1.52 ({@code Gorilla}). New parts only: older ones are rewritten by their next merge.
   */
  private static List<String> v2(Schema schema) {
    return List.of(
        "ALTER TABLE "
            + schema.local(Schema.SAMPLES)
            + schema.onCluster()
            + " MODIFY COLUMN time DateTime64(9) CODEC(Delta(8), ZSTD(1)),"
            + " MODIFY COLUMN value Float64 CODEC(Delta(8), ZSTD(1))");
  }

  /**
   * A span's or log record's own attributes were stored twice: whole in {@code attributes} and as
   * texts in {@code filter_attributes} (51 and 53 bytes a span of the load generator's). From v3
   * the texts serve both, with {@code attribute_types} holding what they lack ({@link
   * AttributeCodec#types}); {@code attributes} stays for the rows written before, and is empty in
   * new ones.
   */
  private static List<String> v3(Schema schema) {
    List<String> statements = new ArrayList<>();
    for (String table : List.of(Schema.SPANS, Schema.LOGS)) {
      String column = " ADD COLUMN IF NOT EXISTS attribute_types String";
      statements.add(
          "ALTER TABLE "
              + schema.local(table)
              + schema.onCluster()
              + column
              + " CODEC(ZSTD(1)) AFTER attributes");
      if (schema.clustered()) {
        statements.add(
            "ALTER TABLE "
                + schema.table(table)
                + schema.onCluster()
                + column
                + " AFTER attributes");
      }
    }
    return statements;
  }

  /**
   * Mastra's OLAP routes total metric events' costs and filter them by provider and model, which v1
   * to v3 kept inside {@code body} only. From v4 they are columns as well, written with each event,
   * so ClickHouse can total them ({@code ClickHouseEventStore#totals}). For rows written before,
   * each column's {@code DEFAULT} reads the field out of {@code body} (RowBinary: provider, model,
   * cost as a presence byte and a Float64, unit), which ClickHouse evaluates when it reads a part
   * that lacks the column; {@code _model_at} and {@code _cost_at} are unstored aliases holding
   * where the model and cost start.
   */
  private static List<String> v4(Schema schema) {
    String table = schema.local(Schema.METRIC_EVENTS) + schema.onCluster();
    String model = "_model_at";
    String cost = "_cost_at";
    String unit = cost + " + 9";
    List<String> statements = new ArrayList<>();
    statements.add(
        "ALTER TABLE "
            + table
            + " ADD COLUMN IF NOT EXISTS "
            + model
            + " UInt64 ALIAS 1 + "
            + BodySql.varintSize("1")
            + " + "
            + BodySql.varint("1"));
    statements.add(
        "ALTER TABLE "
            + table
            + " ADD COLUMN IF NOT EXISTS "
            + cost
            + " UInt64 ALIAS "
            + model
            + " + "
            + BodySql.varintSize(model)
            + " + "
            + BodySql.varint(model));
    List<String> columns =
        List.of(
            "provider LowCardinality(String)",
            "model LowCardinality(String)",
            "cost Nullable(Float64)",
            "cost_unit LowCardinality(String)");
    List<String> defaults =
        List.of(
            BodySql.string("1"),
            BodySql.string(model),
            "if("
                + BodySql.uint8(cost)
                + " = 0, NULL, reinterpretAsFloat64(substring(body, "
                + cost
                + " + 1, 8)))",
            BodySql.string(unit));
    for (int i = 0; i < columns.size(); i++) {
      statements.add(
          "ALTER TABLE "
              + table
              + " ADD COLUMN IF NOT EXISTS "
              + columns.get(i)
              + " DEFAULT "
              + defaults.get(i)
              + " CODEC(ZSTD(1))");
      if (schema.clustered()) {
        statements.add(
            "ALTER TABLE "
                + schema.table(Schema.METRIC_EVENTS)
                + schema.onCluster()
                + " ADD COLUMN IF NOT EXISTS "
                + columns.get(i));
      }
    }
    return statements;
  }

  /** SQL reading RowBinary fields out of the {@code body} column at a 1-based position. */
  static final class BodySql {
    private BodySql() {}

    static String uint8(String at) {
      return "reinterpretAsUInt8(substring(body, " + at + ", 1))";
    }

    private static String uint8(String at, int plus) {
      return uint8(plus == 0 ? at : "(" + at + ") + " + plus);
    }

    /** An unsigned LEB128 length of up to 4 bytes (strings under 256 MiB). */
    static String varint(String at) {
      StringBuilder sql = new StringBuilder();
      int closing = 0;
      for (int i = 0; i < 4; i++) {
        String b = uint8(at, i);
        long scale = 1L << (7 * i);
        if (i < 3) {
          sql.append("toUInt64(").append(b).append(" % 128) * ").append(scale);
          sql.append(" + if(").append(b).append(" >= 128, ");
          closing++;
        } else {
          sql.append("toUInt64(").append(b).append(") * ").append(scale);
        }
      }
      return "(" + sql + ", 0)".repeat(closing) + ")";
    }

    /** How many bytes the LEB128 at the position takes (1 to 4). */
    static String varintSize(String at) {
      StringBuilder sql = new StringBuilder("(1");
      String continued = "";
      for (int i = 0; i < 3; i++) {
        continued += (i == 0 ? "" : " AND ") + uint8(at, i) + " >= 128";
        sql.append(" + (").append(continued).append(")");
      }
      return sql.append(")").toString();
    }

    /** A length-prefixed string. */
    static String string(String at) {
      return "substring(body, (" + at + ") + " + varintSize(at) + ", " + varint(at) + ")";
    }
  }

  static List<String> v1(Schema schema) {
    ClickHouseOptions o = schema.options();
    List<String> statements = new ArrayList<>();
    statements.addAll(
        schema.createTable(
            Schema.SPANS,
            """
              tenant LowCardinality(String),
              trace_id FixedString(16) CODEC(ZSTD(1)),
              span_id FixedString(8) CODEC(ZSTD(1)),
              parent_span_id String CODEC(ZSTD(1)),
              start_time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
              duration_ns Int64 CODEC(T64, ZSTD(1)),
              name LowCardinality(String) CODEC(ZSTD(1)),
              kind UInt8 CODEC(ZSTD(1)),
              status_code UInt8 CODEC(ZSTD(1)),
              status_message String CODEC(ZSTD(1)),
              service_name LowCardinality(String) CODEC(ZSTD(1)),
              scope_name LowCardinality(String) CODEC(ZSTD(1)),
              scope_version LowCardinality(String) CODEC(ZSTD(1)),
              resource_attributes String CODEC(ZSTD(1)),
              attributes String CODEC(ZSTD(1)),
              events String CODEC(ZSTD(1)),
              links String CODEC(ZSTD(1)),
              dropped_attributes_count UInt32 CODEC(ZSTD(1)),
              filter_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
              environment LowCardinality(String) CODEC(ZSTD(1)),
              entity_type LowCardinality(String) CODEC(ZSTD(1)),
              entity_name LowCardinality(String) CODEC(ZSTD(1)),
              version UInt64 CODEC(Delta(8), ZSTD(1)),
              INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
              INDEX idx_name name TYPE bloom_filter(0.01) GRANULARITY 1,
              INDEX idx_duration duration_ns TYPE minmax GRANULARITY 1,
              INDEX idx_filter_keys mapKeys(filter_attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
              INDEX idx_filter_values mapValues(filter_attributes) TYPE bloom_filter(0.01) GRANULARITY 1""",
            "ReplacingMergeTree(version)",
            "PARTITION BY toDate(start_time)\n"
                + "ORDER BY (tenant, service_name, start_time, trace_id, span_id)"
                + Schema.ttl("start_time", o.spanTtlDays()),
            "cityHash64(trace_id)"));
    statements.addAll(
        schema.createTable(
            Schema.TRACE_INDEX,
            """
              tenant LowCardinality(String),
              trace_id FixedString(16) CODEC(ZSTD(1)),
              first_start SimpleAggregateFunction(min, DateTime64(9)) CODEC(ZSTD(1)),
              last_start SimpleAggregateFunction(max, DateTime64(9)) CODEC(ZSTD(1))""",
            "AggregatingMergeTree",
            "PARTITION BY toDate(first_start)\nORDER BY (tenant, trace_id)"
                + Schema.ttl("last_start", o.spanTtlDays()),
            "cityHash64(trace_id)"));
    // Fed by every insert into the (local) spans table, so the index is written on the shard
    // that holds the trace, by the same insert: it cannot miss a span that was acknowledged.
    statements.add(
        "CREATE MATERIALIZED VIEW IF NOT EXISTS "
            + schema.local(Schema.TRACE_INDEX_VIEW)
            + schema.onCluster()
            + " TO "
            + schema.local(Schema.TRACE_INDEX)
            + " AS SELECT tenant, trace_id, min(start_time) AS first_start,"
            + " max(start_time) AS last_start FROM "
            + schema.local(Schema.SPANS)
            + " GROUP BY tenant, trace_id");
    statements.addAll(
        schema.createTable(
            Schema.LOGS,
            """
              tenant LowCardinality(String),
              time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
              observed_time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
              severity_number UInt8 CODEC(ZSTD(1)),
              severity_text LowCardinality(String) CODEC(ZSTD(1)),
              body_text String CODEC(ZSTD(1)),
              body_value String CODEC(ZSTD(1)),
              service_name LowCardinality(String) CODEC(ZSTD(1)),
              scope_name LowCardinality(String) CODEC(ZSTD(1)),
              trace_id String CODEC(ZSTD(1)),
              span_id String CODEC(ZSTD(1)),
              resource_attributes String CODEC(ZSTD(1)),
              attributes String CODEC(ZSTD(1)),
              dropped_attributes_count UInt32 CODEC(ZSTD(1)),
              filter_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
              environment LowCardinality(String) CODEC(ZSTD(1)),
              entity_type LowCardinality(String) CODEC(ZSTD(1)),
              entity_name LowCardinality(String) CODEC(ZSTD(1)),
              INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
              INDEX idx_body body_text TYPE ngrambf_v1(3, 65536, 2, 0) GRANULARITY 1,
              INDEX idx_filter_keys mapKeys(filter_attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
              INDEX idx_filter_values mapValues(filter_attributes) TYPE bloom_filter(0.01) GRANULARITY 1""",
            "MergeTree",
            "PARTITION BY toDate(time)\nORDER BY (tenant, service_name, time)"
                + Schema.ttl("time", o.logTtlDays()),
            "rand()"));
    statements.addAll(
        schema.createTable(
            Schema.SERIES,
            """
              tenant LowCardinality(String),
              series_id Int64,
              name LowCardinality(String),
              labels Map(LowCardinality(String), String) CODEC(ZSTD(1)),
              metric_type LowCardinality(String),
              temporality LowCardinality(String),
              unit LowCardinality(String),
              description String CODEC(ZSTD(1)),
              version UInt64""",
            "ReplacingMergeTree(version)",
            "ORDER BY (tenant, name, series_id)",
            "cityHash64(series_id)"));
    statements.addAll(
        schema.createTable(
            Schema.SAMPLES,
            """
              tenant LowCardinality(String),
              series_id Int64,
              time DateTime64(9) CODEC(DoubleDelta, ZSTD(1)),
              start_time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
              kind UInt8 CODEC(ZSTD(1)),
              value Float64 CODEC(Gorilla, ZSTD(1)),
              count UInt64 CODEC(Delta(8), ZSTD(1)),
              sum Float64 CODEC(Gorilla, ZSTD(1)),
              min Float64 CODEC(Gorilla, ZSTD(1)),
              max Float64 CODEC(Gorilla, ZSTD(1)),
              bounds Array(Float64) CODEC(ZSTD(1)),
              bucket_counts Array(UInt64) CODEC(ZSTD(1)),
              scale Int8 CODEC(ZSTD(1)),
              zero_count UInt64 CODEC(ZSTD(1)),
              zero_threshold Float64 CODEC(ZSTD(1)),
              positive_offset Int32 CODEC(ZSTD(1)),
              positive_counts Array(UInt64) CODEC(ZSTD(1)),
              negative_offset Int32 CODEC(ZSTD(1)),
              negative_counts Array(UInt64) CODEC(ZSTD(1)),
              quantiles Array(Float64) CODEC(ZSTD(1)),
              quantile_values Array(Float64) CODEC(ZSTD(1)),
              version UInt64 CODEC(Delta(8), ZSTD(1))""",
            "ReplacingMergeTree(version)",
            "PARTITION BY toDate(time)\nORDER BY (tenant, series_id, time)"
                + Schema.ttl("time", o.metricTtlDays()),
            "cityHash64(series_id)"));
    statements.addAll(
        schema.createTable(
            Schema.METRIC_METADATA,
            """
              tenant LowCardinality(String),
              name LowCardinality(String),
              metric_type LowCardinality(String),
              temporality LowCardinality(String),
              unit LowCardinality(String),
              description String CODEC(ZSTD(1)),
              version UInt64""",
            "ReplacingMergeTree(version)",
            "ORDER BY (tenant, name)",
            "cityHash64(tenant, name)"));
    statements.addAll(
        schema.createTable(
            Schema.SPAN_PAYLOADS,
            """
              tenant LowCardinality(String),
              trace_id FixedString(16) CODEC(ZSTD(1)),
              span_id FixedString(8) CODEC(ZSTD(1)),
              start_time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
              input String CODEC(ZSTD(3)),
              output String CODEC(ZSTD(3)),
              truncated UInt8,
              version UInt64 CODEC(Delta(8), ZSTD(1))""",
            "ReplacingMergeTree(version)",
            "PARTITION BY toDate(start_time)\nORDER BY (tenant, trace_id, span_id)"
                + Schema.ttl("start_time", o.spanTtlDays()),
            "cityHash64(trace_id)"));
    for (String events : List.of(Schema.METRIC_EVENTS, Schema.SCORES, Schema.FEEDBACK)) {
      statements.addAll(
          schema.createTable(
              events,
              """
                tenant LowCardinality(String),
                id String CODEC(ZSTD(1)),
                time DateTime64(9) CODEC(Delta(8), ZSTD(1)),
                name LowCardinality(String),
                trace_id String CODEC(ZSTD(1)),
                span_id String CODEC(ZSTD(1)),
                correlation Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                tags Array(String) CODEC(ZSTD(1)),
                labels Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                value Float64 CODEC(Gorilla, ZSTD(1)),
                body String CODEC(ZSTD(1)),
                version UInt64 CODEC(Delta(8), ZSTD(1)),
                INDEX idx_trace_id trace_id TYPE bloom_filter(0.01) GRANULARITY 1""",
              "ReplacingMergeTree(version)",
              "PARTITION BY toDate(time)\nORDER BY (tenant, name, time, id)",
              "cityHash64(tenant, id)"));
    }
    for (String rollups : List.of(Schema.ROLLUPS_1M, Schema.ROLLUPS_1H)) {
      statements.addAll(
          schema.createTable(
              rollups,
              """
                tenant LowCardinality(String),
                series_id Int64,
                window_start DateTime64(9) CODEC(DoubleDelta, ZSTD(1)),
                body String CODEC(ZSTD(1)),
                version UInt64 CODEC(Delta(8), ZSTD(1))""",
              "ReplacingMergeTree(version)",
              "PARTITION BY toYYYYMM(window_start)\nORDER BY (tenant, series_id, window_start)",
              "cityHash64(series_id)"));
    }
    statements.addAll(
        schema.createTable(
            Schema.ROLLUP_MARKS,
            """
              tenant LowCardinality(String),
              series_id Int64,
              kind UInt8,
              boundary Int64,
              sample String CODEC(ZSTD(1)),
              version UInt64""",
            "ReplacingMergeTree(version)",
            "ORDER BY (tenant, kind, series_id)",
            "cityHash64(series_id)"));
    // The retention book: one row per key, replaced by compare-and-set inserts that carry the
    // replaced row's sequence number as their deduplication token (ADR 0013), so of two
    // concurrent changes of one state exactly one is stored.
    String book = "\nSETTINGS non_replicated_deduplication_window = 1000";
    statements.addAll(
        schema.createTable(
            Schema.RETENTION_POLICIES,
            """
              id String,
              tenant String,
              signal String,
              service String,
              environment String,
              entity_type String,
              entity_name String,
              max_age_ns Int64,
              max_bytes Int64,
              schedule String,
              enabled UInt8,
              policy_version Int64,
              updated Int64,
              deleted UInt8,
              nonce Int64,
              seq UInt64""",
            "ReplacingMergeTree(seq)",
            "ORDER BY id" + book,
            "cityHash64(id)"));
    statements.addAll(
        schema.createTable(
            Schema.RETENTION_LEASES,
            """
              name String,
              owner String,
              token Int64,
              expires Int64,
              nonce Int64,
              seq UInt64""",
            "ReplacingMergeTree(seq)",
            "ORDER BY name" + book,
            "cityHash64(name)"));
    statements.addAll(
        schema.createTable(
            Schema.RETENTION_RUNS,
            """
              id String,
              policy_id String,
              trigger String,
              owner String,
              status String,
              plan Int64,
              scheduled_for Int64,
              fingerprint String,
              started Int64,
              finished Int64,
              error String,
              tasks String,
              seq UInt64""",
            "ReplacingMergeTree(seq)",
            "ORDER BY id",
            "cityHash64(id)"));
    return statements;
  }
}
