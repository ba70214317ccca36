package dev.sextant.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.promql.engine.Engine;
import dev.sextant.promql.engine.PromQLException;
import dev.sextant.promql.engine.QueryResult;
import dev.sextant.promql.storage.InMemoryQuerier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Runs the compliance tester's queries (every template expanded) and our own against a real
 * Prometheus 2.42 and against this engine on the same samples, and compares the results as the
 * tester does. Every difference must be listed, with its reason, in known_differences.tsv, and
 * every listed query must still differ, so the list stays honest.
 */
class PrometheusConformanceTest {
  private static final long STEP_MS = 10_000;
  private static final double REQUIRED_PASS_RATE = 0.97;

  @Test
  void sameResultsAsPrometheus() throws Exception {
    long end = (System.currentTimeMillis() / 60_000) * 60_000 - 60_000;
    DemoDataset data = new DemoDataset(end);
    Engine engine = new Engine();
    InMemoryQuerier querier = new InMemoryQuerier(data.allSeries());
    long queryEnd = data.end - 12 * 60_000;
    long queryStart = queryEnd - 10 * 60_000;

    List<ComplianceQueries.Query> queries = new ArrayList<>(ComplianceQueries.templates());
    queries.addAll(ComplianceQueries.extras());
    Map<String, String> known = knownDifferences();

    Map<String, String> failures = new LinkedHashMap<>();
    int passed = 0;
    int[] outcomes = new int[3]; // with data, empty on both, error on both
    long[] nanos = new long[2]; // Prometheus (over HTTP), this engine
    try (RealPrometheus prometheus =
        RealPrometheus.start(data.openMetrics(), Path.of("target", "prometheus-conformance"))) {
      for (ComplianceQueries.Query q : queries) {
        String problem =
            compare(prometheus, engine, querier, q, queryStart, queryEnd, outcomes, nanos);
        if (problem == null) {
          passed++;
        } else {
          failures.put(q.text(), problem);
        }
        // The same query as an instant query at the range's end, which also checks result
        // types, range-vector results and the order of sort().
        String instantProblem =
            compareInstant(prometheus, engine, querier, q, queryEnd, outcomes, nanos);
        if (instantProblem == null) {
          passed++;
        } else {
          failures.put("instant: " + q.text(), instantProblem);
        }
      }
    }

    int total = 2 * queries.size();
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            "PromQL conformance against Prometheus 2.42: %d passed, %d failed, %d total"
                + " (%d with data, %d empty on both, %d refused by both)%n",
            passed, failures.size(), total, outcomes[0], outcomes[1], outcomes[2]));
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
            "time: Prometheus %d ms (HTTP included), Sextant %d ms (in process, cold JIT)%n",
            nanos[0] / 1_000_000, nanos[1] / 1_000_000));
    System.out.println(report);

    Set<String> unlisted = new LinkedHashSet<>(failures.keySet());
    unlisted.removeAll(known.keySet());
    Set<String> fixed = new LinkedHashSet<>(known.keySet());
    fixed.removeAll(failures.keySet());
    assertThat(unlisted).as("failing queries missing from known_differences.tsv").isEmpty();
    assertThat(fixed).as("queries in known_differences.tsv that now pass: remove them").isEmpty();
    assertThat((double) passed / total).as("pass rate").isGreaterThanOrEqualTo(REQUIRED_PASS_RATE);
  }

  /** Both systems' answers to one query. */
  private record Answers(Map<String, Object> prometheus, QueryResult ours, String ourError) {
    boolean prometheusFailed() {
      return "error".equals(prometheus.get("status"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> data() {
      return (Map<String, Object>) prometheus.get("data");
    }

    /**
     * Null when both answered (compare the results), "" when both refused, else the difference. An
     * exception other than PromQLException is a bug, never an agreeing refusal.
     */
    String errorDifference() {
      boolean ourFailed = ourError != null;
      if (!prometheusFailed() && !ourFailed) {
        return null;
      }
      if (prometheusFailed() && ourFailed && !ourError.startsWith("BUG ")) {
        return "";
      }
      return "Prometheus: "
          + (prometheusFailed() ? "error " + prometheus.get("error") : "success")
          + "; Sextant: "
          + (ourFailed ? "error " + ourError : "success");
    }
  }

  @SuppressWarnings("unchecked")
  private static Answers ask(Callable<String> prometheus, Supplier<QueryResult> ours, long[] nanos)
      throws Exception {
    long t0 = System.nanoTime();
    Map<String, Object> answer = (Map<String, Object>) MiniJson.parse(prometheus.call());
    long t1 = System.nanoTime();
    QueryResult result = null;
    String error = null;
    try {
      result = ours.get();
    } catch (PromQLException e) {
      error = e.getMessage();
    } catch (RuntimeException e) {
      error = "BUG " + e;
    }
    nanos[0] += t1 - t0;
    nanos[1] += System.nanoTime() - t1;
    return new Answers(answer, result, error);
  }

  private static String compare(
      RealPrometheus prometheus,
      Engine engine,
      InMemoryQuerier querier,
      ComplianceQueries.Query q,
      long start,
      long end,
      int[] outcomes,
      long[] nanos)
      throws Exception {
    Answers a =
        ask(
            () -> prometheus.queryRange(q.text(), start, end, STEP_MS),
            () -> engine.rangeQuery(querier, q.text(), start, end, STEP_MS),
            nanos);
    if (q.shouldFail() && !a.prometheusFailed()) {
      return "Prometheus did not fail although the query is marked should_fail";
    }
    String errors = a.errorDifference();
    if (errors != null) {
      return bothRefused(errors, outcomes);
    }
    Map<String, ResultComparison.Points> expected = ResultComparison.fromPrometheus(a.data());
    outcomes[expected.isEmpty() ? 1 : 0]++;
    return ResultComparison.diff(expected, ResultComparison.fromEngine(a.ours()));
  }

  private static String compareInstant(
      RealPrometheus prometheus,
      Engine engine,
      InMemoryQuerier querier,
      ComplianceQueries.Query q,
      long time,
      int[] outcomes,
      long[] nanos)
      throws Exception {
    Answers a =
        ask(
            () -> prometheus.query(q.text(), time),
            () -> engine.instantQuery(querier, q.text(), time),
            nanos);
    String errors = a.errorDifference();
    if (errors != null) {
      return bothRefused(errors, outcomes);
    }
    List<String> expectedOrder = new ArrayList<>();
    Map<String, ResultComparison.Points> expected =
        ResultComparison.fromPrometheusInstant(a.data(), expectedOrder);
    List<String> actualOrder = new ArrayList<>();
    Map<String, ResultComparison.Points> actual =
        ResultComparison.fromEngineInstant(a.ours(), actualOrder);
    outcomes[expected.isEmpty() ? 1 : 0]++;
    String diff = ResultComparison.diff(expected, actual);
    if (diff == null && q.text().startsWith("sort") && !expectedOrder.equals(actualOrder)) {
      return "order differs: expected " + expectedOrder + ", got " + actualOrder;
    }
    return diff;
  }

  /** Counts an agreeing refusal and passes; any other error difference is a failure. */
  private static String bothRefused(String errors, int[] outcomes) {
    if (errors.isEmpty()) {
      outcomes[2]++;
      return null;
    }
    return errors;
  }

  private static Map<String, String> knownDifferences() throws Exception {
    Map<String, String> known = new LinkedHashMap<>();
    for (String line : ComplianceQueries.resourceLines("/conformance/known_differences.tsv")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t", 2);
      known.put(cols[0], cols.length > 1 ? cols[1] : "");
    }
    return known;
  }
}
