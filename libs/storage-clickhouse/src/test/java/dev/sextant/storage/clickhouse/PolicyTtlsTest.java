package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Table TTLs driven by retention policies ({@link PolicyTtls}, ADR 0013 addendum): which TTL the
 * policies allow, and what {@code reconcile} does to the tables of a real ClickHouse (chDB's 26.7),
 * on one node and node by node over two shards.
 */
class PolicyTtlsTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final long DAY = 86_400;
  private static final String SPANS_7D = "toDateTime(start_time) + toIntervalSecond(604800)";

  private static RetentionPolicy policy(
      String id,
      String tenant,
      RetentionSignal signal,
      RetentionSelector selector,
      Duration maxAge,
      boolean enabled) {
    return new RetentionPolicy(
        id, tenant, signal, selector, maxAge, 0, "0 0 * * * ?", enabled, 1, Fixtures.T0);
  }

  /** The default policies' shape: one per signal, every tenant, no selector, enabled. */
  private static List<RetentionPolicy> defaults(Duration maxAge) {
    List<RetentionPolicy> policies = new ArrayList<>();
    for (RetentionSignal signal : RetentionSignal.values()) {
      policies.add(
          policy(
              "default-" + signal.jsonName(),
              RetentionPolicy.ALL_TENANTS,
              signal,
              RetentionSelector.ANY,
              maxAge,
              true));
    }
    return policies;
  }

  private static List<RetentionPolicy> with(
      List<RetentionPolicy> policies, RetentionPolicy... more) {
    List<RetentionPolicy> all = new ArrayList<>(policies);
    all.addAll(List.of(more));
    return all;
  }

  private static final RetentionSelector PROD = new RetentionSelector(null, "prod", null, null);

  // ------------------------------------------------------------------ the rule, without a server

  @Test
  void theLongestMaxAgeOfASignalWhosePoliciesAreAllEnabledAndCoverEveryRow() {
    List<RetentionPolicy> policies =
        with(
            defaults(Duration.ofDays(7)),
            policy("acme", "acme", RetentionSignal.SPANS, PROD, Duration.ofDays(30), true),
            policy("short", "globex", RetentionSignal.SPANS, PROD, Duration.ofDays(1), true));
    assertThat(PolicyTtls.policySeconds(RetentionSignal.SPANS, policies)).hasValue(30 * DAY);
    assertThat(PolicyTtls.policySeconds(RetentionSignal.LOGS, policies)).hasValue(7 * DAY);
  }

  @Test
  void noTtlWhenAPolicyOfTheSignalIsDisabledOrNoneCoversEveryRow() {
    List<RetentionPolicy> disabledDefault = new ArrayList<>(defaults(Duration.ofDays(7)));
    disabledDefault.replaceAll(
        p ->
            p.signal() == RetentionSignal.SPANS
                ? policy(p.id(), p.tenant(), p.signal(), p.selector(), p.maxAge(), false)
                : p);
    assertThat(PolicyTtls.policySeconds(RetentionSignal.SPANS, disabledDefault)).isEmpty();
    assertThat(PolicyTtls.policySeconds(RetentionSignal.LOGS, disabledDefault)).hasValue(7 * DAY);

    // A disabled narrower policy keeps its rows: no TTL for the signal either.
    List<RetentionPolicy> disabledNarrow =
        with(
            defaults(Duration.ofDays(7)),
            policy("keep", "acme", RetentionSignal.SPANS, PROD, Duration.ofDays(1), false));
    assertThat(PolicyTtls.policySeconds(RetentionSignal.SPANS, disabledNarrow)).isEmpty();

    // Only a tenant's own policy, or only a narrowed one: the other rows are kept.
    assertThat(
            PolicyTtls.policySeconds(
                RetentionSignal.SPANS,
                List.of(
                    policy(
                        "a",
                        "acme",
                        RetentionSignal.SPANS,
                        RetentionSelector.ANY,
                        Duration.ofDays(1),
                        true),
                    policy(
                        "b",
                        RetentionPolicy.ALL_TENANTS,
                        RetentionSignal.SPANS,
                        PROD,
                        Duration.ofDays(1),
                        true))))
        .isEmpty();
    assertThat(PolicyTtls.policySeconds(RetentionSignal.SPANS, List.of())).isEmpty();
  }

  @Test
  void maxAgesRoundUpToWholeSecondsAndVeryLongOnesGetNoTtl() {
    assertThat(PolicyTtls.policySeconds(RetentionSignal.LOGS, defaults(Duration.ofSeconds(90, 1))))
        .hasValue(91);
    assertThat(
            PolicyTtls.policySeconds(
                RetentionSignal.LOGS, defaults(Duration.ofDays(PolicyTtls.MAX_DAYS))))
        .hasValue(PolicyTtls.MAX_DAYS * DAY);
    assertThat(
            PolicyTtls.policySeconds(
                RetentionSignal.LOGS, defaults(Duration.ofDays(PolicyTtls.MAX_DAYS + 1))))
        .isEmpty();
  }

  @Test
  void theConfiguredDaysStayAHardCap() {
    ClickHouseOptions options =
        ClickHouseStorage.builder().spanTtlDays(3).logTtlDays(0).build().options();
    PolicyTtls.Target spans = PolicyTtls.TARGETS.getFirst();
    PolicyTtls.Target logs =
        PolicyTtls.TARGETS.stream()
            .filter(t -> t.table().equals(Schema.LOGS))
            .findFirst()
            .orElseThrow();
    assertThat(PolicyTtls.seconds(spans, options, defaults(Duration.ofDays(7)))).hasValue(3 * DAY);
    assertThat(PolicyTtls.seconds(spans, options, defaults(Duration.ofDays(1)))).hasValue(DAY);
    assertThat(PolicyTtls.seconds(spans, options, List.of())).hasValue(3 * DAY);
    assertThat(PolicyTtls.seconds(logs, options, List.of())).isEqualTo(OptionalLong.empty());
  }

  @Test
  void theTtlIsReadBackFromTheEngineText() {
    assertThat(
            PolicyTtls.ttlOf(
                "ReplacingMergeTree(version) PARTITION BY toDate(start_time) ORDER BY (tenant)"
                    + " TTL "
                    + SPANS_7D
                    + " SETTINGS index_granularity = 8192"))
        .isEqualTo(SPANS_7D);
    assertThat(PolicyTtls.ttlOf("MergeTree ORDER BY version TTL " + SPANS_7D)).isEqualTo(SPANS_7D);
    assertThat(PolicyTtls.ttlOf("MergeTree ORDER BY version SETTINGS index_granularity = 8192"))
        .isEmpty();
  }

  // ------------------------------------------------------------------ on a real server

  private static String ttlOf(String endpoint, String database, String table) {
    List<String> lines =
        ChdbServer.select(
            endpoint,
            "SELECT engine_full FROM system.tables WHERE database = '"
                + database
                + "' AND name = '"
                + table
                + "' FORMAT TSVRaw");
    assertThat(lines).as("table %s.%s", database, table).hasSize(1);
    return PolicyTtls.ttlOf(lines.getFirst());
  }

  private static ClickHouseStorage single(String database, int spanTtlDays) {
    ClickHouseStorage storage =
        ClickHouseStorage.builder()
            .endpoint(ChdbServer.shared().endpoint())
            .database(database)
            .spanTtlDays(spanTtlDays)
            .build();
    storage.start();
    return storage;
  }

  private static String newDatabase() {
    return "ttl_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
  }

  @Test
  void reconcileSetsEachSignalsTtlOnItsTablesAndLeavesMetricsAlone() {
    String db = newDatabase();
    String endpoint = ChdbServer.shared().endpoint();
    try (ClickHouseStorage storage = single(db, 0)) {
      assertThat(ttlOf(endpoint, db, Schema.SPANS)).isEmpty();
      List<RetentionPolicy> policies =
          with(
              defaults(Duration.ofDays(7)),
              policy("acme-logs", "acme", RetentionSignal.LOGS, PROD, Duration.ofDays(30), true));
      storage.retention().reconcile(policies).await().indefinitely();

      assertThat(ttlOf(endpoint, db, Schema.SPANS)).isEqualTo(SPANS_7D);
      assertThat(ttlOf(endpoint, db, Schema.TRACE_INDEX))
          .isEqualTo("toDateTime(last_start) + toIntervalSecond(604800)");
      assertThat(ttlOf(endpoint, db, Schema.LOGS))
          .isEqualTo("toDateTime(time) + toIntervalSecond(2592000)");
      assertThat(ttlOf(endpoint, db, Schema.SPAN_PAYLOADS)).isEqualTo(SPANS_7D);
      for (String events : List.of(Schema.METRIC_EVENTS, Schema.SCORES, Schema.FEEDBACK)) {
        assertThat(ttlOf(endpoint, db, events))
            .isEqualTo("toDateTime(time) + toIntervalSecond(604800)");
      }
      // A stored window goes when it ends past the max age: start + max age + its length.
      assertThat(ttlOf(endpoint, db, Schema.ROLLUPS_1M))
          .isEqualTo("toDateTime(window_start) + toIntervalSecond(604860)");
      assertThat(ttlOf(endpoint, db, Schema.ROLLUPS_1H))
          .isEqualTo("toDateTime(window_start) + toIntervalSecond(608400)");
      // Samples go only after their rollups are stored; series with their last row.
      for (String metrics : List.of(Schema.SAMPLES, Schema.SERIES, Schema.ROLLUP_MARKS)) {
        assertThat(ttlOf(endpoint, db, metrics)).as(metrics).isEmpty();
      }
    }
  }

  /** The tables one reconcile changed. */
  private static List<String> changed(
      ClickHouseAccess access, PolicyTtls ttls, List<RetentionPolicy> policies) {
    return access.runNow("reconcile", c -> ttls.reconcile(c, policies));
  }

  @Test
  void reconcilingAgainChangesNothingAndADisabledPolicyRemovesItsSignalsTtl() throws Exception {
    String db = newDatabase();
    String endpoint = ChdbServer.shared().endpoint();
    try (ClickHouseStorage storage = single(db, 0);
        ClickHouseAccess access = new ClickHouseAccess(storage.options())) {
      access.open();
      PolicyTtls ttls = new PolicyTtls(access, new Schema(storage.options()));
      List<RetentionPolicy> policies = defaults(Duration.ofDays(7));
      assertThat(changed(access, ttls, policies)).hasSize(PolicyTtls.TARGETS.size());
      assertThat(changed(access, ttls, policies)).isEmpty();

      List<RetentionPolicy> spansOff = new ArrayList<>(policies);
      spansOff.replaceAll(
          p ->
              p.signal() == RetentionSignal.SPANS
                  ? policy(p.id(), p.tenant(), p.signal(), p.selector(), p.maxAge(), false)
                  : p);
      assertThat(changed(access, ttls, spansOff))
          .containsExactly(db + "." + Schema.SPANS, db + "." + Schema.TRACE_INDEX);
      assertThat(ttlOf(endpoint, db, Schema.SPANS)).isEmpty();
      assertThat(ttlOf(endpoint, db, Schema.TRACE_INDEX)).isEmpty();
      assertThat(ttlOf(endpoint, db, Schema.LOGS)).isNotEmpty();

      // Retention disabled (no policies enforced): every TTL goes.
      storage.retention().reconcile(List.of()).await().indefinitely();
      for (PolicyTtls.Target target : PolicyTtls.TARGETS) {
        assertThat(ttlOf(endpoint, db, target.table())).as(target.table()).isEmpty();
      }
    }
  }

  @Test
  void theConfiguredSpanTtlCapsThePoliciesAndStaysWithoutThem() {
    String db = newDatabase();
    String endpoint = ChdbServer.shared().endpoint();
    try (ClickHouseStorage storage = single(db, 3)) {
      assertThat(ttlOf(endpoint, db, Schema.SPANS))
          .isEqualTo("toDateTime(start_time) + toIntervalDay(3)");
      storage.retention().reconcile(defaults(Duration.ofDays(7))).await().indefinitely();
      assertThat(ttlOf(endpoint, db, Schema.SPANS))
          .isEqualTo("toDateTime(start_time) + toIntervalSecond(259200)");
      storage.retention().reconcile(defaults(Duration.ofDays(1))).await().indefinitely();
      assertThat(ttlOf(endpoint, db, Schema.SPANS))
          .isEqualTo("toDateTime(start_time) + toIntervalSecond(86400)");
      storage.retention().reconcile(List.of()).await().indefinitely();
      assertThat(ttlOf(endpoint, db, Schema.SPANS))
          .isEqualTo("toDateTime(start_time) + toIntervalSecond(259200)");
      assertThat(ttlOf(endpoint, db, Schema.LOGS)).isEmpty();
    }
  }

  @Test
  void clickHouseDropsRowsPastTheTtlItselfAndKeepsTheRest() {
    String db = newDatabase();
    String endpoint = ChdbServer.shared().endpoint();
    long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    long old = now - TimeUnit.DAYS.toNanos(10);
    long recent = now - TimeUnit.DAYS.toNanos(1);
    String oldTrace = Fixtures.traceId(1);
    String recentTrace = Fixtures.traceId(2);
    try (ClickHouseStorage storage = single(db, 0)) {
      List<Span> spans =
          List.of(
              SpanBuilder.span(oldTrace, Fixtures.spanId(1)).start(old).build(),
              SpanBuilder.span(recentTrace, Fixtures.spanId(1)).start(recent).build());
      storage.spans().write(spans).await().indefinitely();
      storage
          .logs()
          .write(List.of(LogBuilder.log(old).build(), LogBuilder.log(recent).build()))
          .await()
          .indefinitely();

      storage.retention().reconcile(defaults(Duration.ofDays(7))).await().indefinitely();
      // Existing parts are not rewritten at once; their next merge applies the TTL.
      for (String table : List.of(Schema.SPANS, Schema.TRACE_INDEX, Schema.LOGS)) {
        ChdbServer.select(endpoint, "OPTIMIZE TABLE " + db + "." + table + " FINAL");
      }

      assertThat(storage.spans().trace(Fixtures.TENANT, oldTrace).await().indefinitely()).isEmpty();
      assertThat(storage.spans().trace(Fixtures.TENANT, recentTrace).await().indefinitely())
          .hasSize(1);
      assertThat(
              ChdbServer.select(
                  endpoint, "SELECT hex(trace_id) FROM " + db + "." + Schema.TRACE_INDEX))
          .containsExactly(recentTrace.toUpperCase());
      assertThat(
              ChdbServer.select(
                  endpoint, "SELECT toUnixTimestamp64Nano(time) FROM " + db + "." + Schema.LOGS))
          .containsExactly(Long.toString(recent));
    }
  }

  @Test
  void inClusterModeEveryNodesLocalTablesGetTheTtl() {
    String db = ClickHouseClusterConformanceTest.newDatabase();
    try (ClickHouseStorage storage = ClickHouseClusterConformanceTest.clustered(db)) {
      storage.retention().reconcile(defaults(Duration.ofDays(7))).await().indefinitely();
      for (String node : ChdbCluster.shared().endpoints()) {
        assertThat(ttlOf(node, db, Schema.SPANS + "_local")).as(node).isEqualTo(SPANS_7D);
        assertThat(ttlOf(node, db, Schema.LOGS + "_local"))
            .as(node)
            .isEqualTo("toDateTime(time) + toIntervalSecond(604800)");
        // The Distributed table holds no rows and has no TTL.
        assertThat(ttlOf(node, db, Schema.SPANS)).as(node).isEmpty();
      }
      storage.retention().reconcile(List.of()).await().indefinitely();
      for (String node : ChdbCluster.shared().endpoints()) {
        assertThat(ttlOf(node, db, Schema.SPANS + "_local")).as(node).isEmpty();
      }
    }
  }
}
