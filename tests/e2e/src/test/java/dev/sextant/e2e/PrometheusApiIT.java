package dev.sextant.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.promql.conformance.ComplianceQueries;
import dev.sextant.promql.conformance.PrometheusApiClient;
import dev.sextant.promql.conformance.RealPrometheus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sextant's Prometheus HTTP API against a real Prometheus 2.42 on the same data, end to end: the
 * packaged suite started by {@code ./sextant run}, the compliance tester's demo dataset sent by
 * remote write through ingest, the aggregator and the store (SQLite here; a subclass changes the
 * store by overriding {@link #environment()}, and is held to the same list and rate), then every
 * compliance template and our extra queries asked of both over HTTP, as range and as instant
 * queries. Every difference must be listed with its reason in {@code
 * prometheus-api/known_differences.tsv}, every listed query must still differ, and at least 97%
 * must pass. promtool, pointed at Sextant, must answer as it answers pointed at Prometheus. If
 * Prometheus cannot be had, this fails; it never skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusApiIT {
  static final long STEP_MS = 10_000;
  static final long LONG_STEP_MS = 97_000;
  private static final double REQUIRED_PASS_RATE = 0.97;

  private ComparedSystems systems;

  /** One instance per class, so a subclass changes the store by overriding. */
  @BeforeAll
  void start() throws Exception {
    systems = ComparedSystems.start(environment());
  }

  /** The run command's environment beyond ports and data folder: none, the defaults (SQLite). */
  Map<String, String> environment() {
    return Map.of();
  }

  /** The store the suite runs on, as the report names it. */
  String storeName() {
    return "SQLite";
  }

  @AfterAll
  void stop() throws Exception {
    if (systems != null) {
      systems.close();
    }
  }

  static List<ComplianceQueries.Query> queries() throws Exception {
    List<ComplianceQueries.Query> queries = new ArrayList<>(ComplianceQueries.templates());
    queries.addAll(ComplianceQueries.extras());
    return queries;
  }

  @Test
  void sameAnswersAsPrometheusOverHttp() throws Exception {
    long queryEnd = systems.data.end - 12 * 60_000;
    long queryStart = queryEnd - 10 * 60_000;
    PrometheusApiClient prometheus = systems.prometheus.api();
    Map<String, String> known = knownDifferences();
    Map<String, String> failures = new LinkedHashMap<>();
    ApiComparison.Clock clock = new ApiComparison.Clock();
    int total = 0;
    for (ComplianceQueries.Query q : queries()) {
      String range =
          ApiComparison.rangeQuery(
              prometheus, systems.sextant, q, queryStart, queryEnd, STEP_MS, clock);
      if (range != null) {
        failures.put(q.text(), range);
      }
      String instant = ApiComparison.instantQuery(prometheus, systems.sextant, q, queryEnd, clock);
      if (instant != null) {
        failures.put("instant: " + q.text(), instant);
      }
      total += 2;
    }
    int passed = total - failures.size();
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "Prometheus HTTP API conformance against Prometheus 2.42 (data by remote write into"
                + " %s): %d passed, %d failed, %d total (%.2f%%)%n",
            storeName(), passed, failures.size(), total, 100.0 * passed / total));
    failures.forEach(
        (q, p) ->
            report
                .append("  FAIL ")
                .append(q)
                .append(known.containsKey(q) ? "   [known: " + known.get(q) + "]" : "   [NEW]")
                .append("\n    ")
                .append(p)
                .append('\n'));
    report.append(
        String.format(
            "time over HTTP: Prometheus %d ms, Sextant %d ms%n",
            clock.prometheus / 1_000_000, clock.sextant / 1_000_000));
    System.out.println(report);

    Set<String> unlisted = new LinkedHashSet<>(failures.keySet());
    unlisted.removeAll(known.keySet());
    Set<String> fixed = new LinkedHashSet<>(known.keySet());
    fixed.removeAll(failures.keySet());
    assertThat(unlisted).as("failing queries missing from known_differences.tsv").isEmpty();
    assertThat(fixed).as("queries in known_differences.tsv that now pass: remove them").isEmpty();
    assertThat((double) passed / total).as("pass rate").isGreaterThanOrEqualTo(REQUIRED_PASS_RATE);
  }

  /**
   * Every compliance template and extra query as a range query over two hours at a step of 97 s:
   * longer than the scrape interval, and not dividing the range, so the last step falls before the
   * end. A store that leaves out the points no step uses (ClickHouse, ADR 0018) must answer as
   * Prometheus does here too; only queries listed as known differences may differ.
   */
  @Test
  void sameAnswersAsPrometheusAtALongStep() throws Exception {
    long queryEnd = systems.data.end - 12 * 60_000;
    long queryStart = queryEnd - 2 * 3600_000;
    PrometheusApiClient prometheus = systems.prometheus.api();
    Set<String> known = knownDifferences().keySet();
    Map<String, String> unlisted = new LinkedHashMap<>();
    ApiComparison.Clock clock = new ApiComparison.Clock();
    int total = 0;
    for (ComplianceQueries.Query q : queries()) {
      String range =
          ApiComparison.rangeQuery(
              prometheus, systems.sextant, q, queryStart, queryEnd, LONG_STEP_MS, clock);
      if (range != null && !known.contains(q.text())) {
        unlisted.put(q.text(), range);
      }
      total++;
    }
    System.out.printf(
        "Range queries at a %d s step over 2 h on %s: %d queries, %d unlisted differences%n",
        LONG_STEP_MS / 1000, storeName(), total, unlisted.size());
    assertThat(unlisted).as("queries differing at a long step").isEmpty();
  }

  @Test
  void promtoolQueriesSextantAsItQueriesPrometheus() throws Exception {
    String sextant = systems.sextant.baseUrl();
    String prometheus = systems.prometheus.api().baseUrl();
    long end = systems.data.end / 1000;
    List<List<String>> commands =
        List.of(
            List.of("query", "instant", "--time=" + end, "URL", "sum by (job) (demo_num_cpus)"),
            List.of(
                "query",
                "range",
                "--start=" + (end - 600),
                "--end=" + end,
                "--step=60s",
                "URL",
                "sum(rate(demo_cpu_usage_seconds_total[5m]))"),
            List.of("query", "series", "--match=demo_num_cpus", "URL"),
            List.of("query", "labels", "URL", "instance"));
    for (List<String> command : commands) {
      String fromSextant = promtool(command, sextant);
      String fromPrometheus = promtool(command, prometheus);
      assertThat(fromSextant).as("promtool %s", command).isEqualTo(fromPrometheus).isNotBlank();
    }
  }

  private static String promtool(List<String> args, String url) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(RealPrometheus.binaries().resolve("usr/bin/promtool").toString());
    args.forEach(a -> command.add(a.equals("URL") ? url : a));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("promtool " + args + " against " + url + " failed:\n" + out);
    }
    return out;
  }

  private static Map<String, String> knownDifferences() throws Exception {
    Map<String, String> known = new LinkedHashMap<>();
    for (String line : ComplianceQueries.resourceLines("/prometheus-api/known_differences.tsv")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t", 2);
      known.put(cols[0], cols.length > 1 ? cols[1] : "");
    }
    return known;
  }
}
