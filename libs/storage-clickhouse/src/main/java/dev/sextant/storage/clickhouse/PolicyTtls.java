package dev.sextant.storage.clickhouse;

import com.clickhouse.client.api.Client;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.rollup.RollupTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToIntFunction;

/**
 * Table TTLs driven by retention policies (ADR 0013, addendum): {@link
 * dev.sextant.storage.retention.RetentionStore#reconcile} sets each record table's {@code TTL} so
 * ClickHouse drops expired rows itself (whole parts where it can), also while no retention instance
 * runs. Retention runs still delete as before, tenant by tenant and selector by selector; the TTL
 * is the backstop, and it never removes a row before the policy governing it would:
 *
 * <ul>
 *   <li>A signal gets a TTL only when one of its policies covers every row (every tenant, no
 *       selector) and every policy of the signal is enabled — a disabled policy keeps its rows, so
 *       any disabled one means no TTL. The TTL is then the <em>longest</em> max age among them, so
 *       no row outlives every policy yet none goes before its own.
 *   <li>A max age over {@value #MAX_DAYS} days gets no TTL ({@code DateTime} ends in 2106).
 *   <li>The configured {@code *-ttl-days} stays a hard cap: the TTL is the shorter of the two; with
 *       neither the TTL is removed.
 *   <li>Raw metric samples get none: they go only after their rollups are stored (downsampling),
 *       which a TTL would skip. A stored rollup window goes when it ends past the max age: its TTL
 *       is its start plus the max age plus the window's length.
 * </ul>
 *
 * <p>The TTL of a signal is set on its base table and every table that holds rows derived from it
 * (the trace index), {@code ON CLUSTER} or node by node in cluster mode, with {@code
 * materialize_ttl_after_modify = 0}: existing parts are left to the retention runs and to their
 * next merge instead of being rewritten at once. A table whose TTL is already the wanted one is
 * left alone, so reconciling the same policies again changes nothing.
 */
final class PolicyTtls {
  static final long MAX_DAYS = 3650;
  private static final long DAY_SECONDS = 86_400;

  /**
   * A table whose rows expire by a time column, and the signal whose policies drive it.
   *
   * @param windowSeconds for rollup windows, the window's length: a window goes when it ends past
   *     the max age, and its column is its start
   */
  record Target(
      String table,
      String column,
      RetentionSignal signal,
      ToIntFunction<ClickHouseOptions> configuredDays,
      long windowSeconds) {
    Target(
        String table,
        String column,
        RetentionSignal signal,
        ToIntFunction<ClickHouseOptions> configuredDays) {
      this(table, column, signal, configuredDays, 0);
    }
  }

  static final List<Target> TARGETS =
      List.of(
          new Target(Schema.SPANS, "start_time", RetentionSignal.SPANS, o -> o.spanTtlDays()),
          // The trace index row of a trace goes with the trace's last span.
          new Target(Schema.TRACE_INDEX, "last_start", RetentionSignal.SPANS, o -> o.spanTtlDays()),
          new Target(Schema.LOGS, "time", RetentionSignal.LOGS, o -> o.logTtlDays()),
          new Target(
              Schema.SPAN_PAYLOADS,
              "start_time",
              RetentionSignal.SPAN_PAYLOADS,
              o -> o.spanTtlDays()),
          new Target(Schema.METRIC_EVENTS, "time", RetentionSignal.METRIC_EVENTS, o -> 0),
          new Target(Schema.SCORES, "time", RetentionSignal.SCORES, o -> 0),
          new Target(Schema.FEEDBACK, "time", RetentionSignal.FEEDBACK, o -> 0),
          new Target(
              Schema.ROLLUPS_1M,
              "window_start",
              RetentionSignal.METRIC_ROLLUPS_1M,
              o -> 0,
              RollupTier.ONE_MINUTE.nanos() / 1_000_000_000L),
          new Target(
              Schema.ROLLUPS_1H,
              "window_start",
              RetentionSignal.METRIC_ROLLUPS_1H,
              o -> 0,
              RollupTier.ONE_HOUR.nanos() / 1_000_000_000L));

  private final ClickHouseAccess access;
  private final Schema schema;

  PolicyTtls(ClickHouseAccess access, Schema schema) {
    this.access = access;
    this.schema = schema;
  }

  /**
   * The TTL in seconds the policies allow for a signal: the longest max age (whole seconds, rounded
   * up) when every policy of the signal is enabled and one covers every row; else none.
   */
  static OptionalLong policySeconds(RetentionSignal signal, List<RetentionPolicy> policies) {
    List<RetentionPolicy> ofSignal = policies.stream().filter(p -> p.signal() == signal).toList();
    boolean coversEveryRow =
        ofSignal.stream()
            .anyMatch(p -> p.appliesToAllTenants() && p.selector().equals(RetentionSelector.ANY));
    if (!coversEveryRow || ofSignal.stream().anyMatch(p -> !p.enabled())) {
      return OptionalLong.empty();
    }
    Duration longest =
        ofSignal.stream().map(RetentionPolicy::maxAge).max(Duration::compareTo).orElseThrow();
    if (longest.compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
      return OptionalLong.empty();
    }
    long seconds = longest.getSeconds() + (longest.getNano() > 0 ? 1 : 0);
    return OptionalLong.of(seconds);
  }

  /** The TTL in seconds a table should have: the shorter of the policies' and the configured. */
  static OptionalLong seconds(
      Target target, ClickHouseOptions options, List<RetentionPolicy> policies) {
    OptionalLong policy = policySeconds(target.signal(), policies);
    OptionalLong fromPolicies =
        policy.isPresent()
            ? OptionalLong.of(policy.getAsLong() + target.windowSeconds())
            : OptionalLong.empty();
    int days = target.configuredDays().applyAsInt(options);
    if (days == 0) {
      return fromPolicies;
    }
    long configured = days * DAY_SECONDS;
    return OptionalLong.of(
        fromPolicies.isPresent() ? Math.min(configured, fromPolicies.getAsLong()) : configured);
  }

  /** The TTL expression as ClickHouse prints it back in {@code system.tables.engine_full}. */
  static String expression(String column, long seconds) {
    return "toDateTime(" + column + ") + toIntervalSecond(" + seconds + ")";
  }

  /**
   * The table TTL in an {@code engine_full} text: what follows {@code TTL} up to {@code SETTINGS},
   * or empty when there is none.
   */
  static String ttlOf(String engineFull) {
    int start = engineFull.indexOf(" TTL ");
    if (start < 0) {
      return "";
    }
    int end = engineFull.indexOf(" SETTINGS ", start);
    return engineFull.substring(start + 5, end < 0 ? engineFull.length() : end).strip();
  }

  /**
   * Sets every target table's TTL as the policies and the configuration say; returns the tables it
   * changed (local names), node by node where DDL runs per node.
   */
  List<String> reconcile(Client c, List<RetentionPolicy> policies) throws Exception {
    List<String> changed = new ArrayList<>();
    for (Target target : TARGETS) {
      OptionalLong seconds = seconds(target, schema.options(), policies);
      String wanted = seconds.isPresent() ? expression(target.column(), seconds.getAsLong()) : "";
      String table = schema.local(target.table());
      for (Client node : access.ddlTargets(c)) {
        if (ttlOf(engineFull(node, target.table())).equals(wanted)) {
          continue;
        }
        String alter =
            "ALTER TABLE "
                + table
                + schema.onCluster()
                + (wanted.isEmpty() ? " REMOVE TTL" : " MODIFY TTL " + wanted);
        access.executeBlocking(node, alter, Map.of(), Map.of("materialize_ttl_after_modify", "0"));
        changed.add(table);
      }
    }
    return changed;
  }

  /** The table's {@code engine_full} on one node (its local table in cluster mode). */
  private String engineFull(Client node, String name) throws Exception {
    String local = schema.local(name).substring(schema.database().length() + 1);
    return access.queryBlocking(
        node,
        "SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {t:String}",
        Map.of("db", schema.database(), "t", local),
        in -> in.hasMore() ? in.string() : "");
  }
}
