package dev.sextant.e2e;

import dev.sextant.promql.conformance.ComplianceQueries;
import dev.sextant.promql.conformance.MiniJson;
import dev.sextant.promql.conformance.PrometheusApiClient;
import dev.sextant.promql.conformance.ResultComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One query asked of two Prometheus HTTP APIs and judged by the compliance tester's rules: the same
 * label sets, timestamps and values (relative 1e-5, NaN equals NaN), series order ignored except
 * for {@code sort*} in instant queries; refusals must agree, here down to the error type.
 */
final class ApiComparison {
  private ApiComparison() {}

  /** The time each side took, nanoseconds: Prometheus, Sextant. */
  static final class Clock {
    long prometheus;
    long sextant;
  }

  /** Null when both agree, else the difference. */
  static String rangeQuery(
      PrometheusApiClient prometheus,
      PrometheusApiClient sextant,
      ComplianceQueries.Query q,
      long start,
      long end,
      long step,
      Clock clock)
      throws Exception {
    long t0 = System.nanoTime();
    Map<String, Object> expected = parse(prometheus.queryRange(q.text(), start, end, step));
    long t1 = System.nanoTime();
    Map<String, Object> actual = parse(sextant.queryRange(q.text(), start, end, step));
    clock.prometheus += t1 - t0;
    clock.sextant += System.nanoTime() - t1;
    if (q.shouldFail() && !failed(expected)) {
      return "Prometheus did not fail although the query is marked should_fail";
    }
    String errors = errorDifference(expected, actual);
    if (errors != null) {
      return errors.isEmpty() ? null : errors;
    }
    return ResultComparison.diff(
        ResultComparison.fromPrometheus(data(expected)),
        ResultComparison.fromPrometheus(data(actual)));
  }

  static String instantQuery(
      PrometheusApiClient prometheus,
      PrometheusApiClient sextant,
      ComplianceQueries.Query q,
      long time,
      Clock clock)
      throws Exception {
    long t0 = System.nanoTime();
    Map<String, Object> expected = parse(prometheus.query(q.text(), time));
    long t1 = System.nanoTime();
    Map<String, Object> actual = parse(sextant.query(q.text(), time));
    clock.prometheus += t1 - t0;
    clock.sextant += System.nanoTime() - t1;
    String errors = errorDifference(expected, actual);
    if (errors != null) {
      return errors.isEmpty() ? null : errors;
    }
    String expectedType = (String) data(expected).get("resultType");
    String actualType = (String) data(actual).get("resultType");
    if (!expectedType.equals(actualType)) {
      return "result type " + actualType + ", expected " + expectedType;
    }
    List<String> expectedOrder = new ArrayList<>();
    List<String> actualOrder = new ArrayList<>();
    String diff =
        ResultComparison.diff(
            ResultComparison.fromPrometheusInstant(data(expected), expectedOrder),
            ResultComparison.fromPrometheusInstant(data(actual), actualOrder));
    if (diff == null && q.text().startsWith("sort") && !expectedOrder.equals(actualOrder)) {
      return "order differs: expected " + expectedOrder + ", got " + actualOrder;
    }
    return diff;
  }

  /** Null when both answered, "" when both refused alike, else the difference. */
  private static String errorDifference(Map<String, Object> expected, Map<String, Object> actual) {
    if (!failed(expected) && !failed(actual)) {
      return null;
    }
    if (failed(expected) && failed(actual)) {
      return expected.get("errorType").equals(actual.get("errorType"))
          ? ""
          : "error types differ: Prometheus "
              + expected.get("errorType")
              + " ("
              + expected.get("error")
              + "), Sextant "
              + actual.get("errorType")
              + " ("
              + actual.get("error")
              + ")";
    }
    return "Prometheus: "
        + (failed(expected) ? "error " + expected.get("error") : "success")
        + "; Sextant: "
        + (failed(actual) ? "error " + actual.get("error") : "success");
  }

  private static boolean failed(Map<String, Object> answer) {
    return "error".equals(answer.get("status"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(Map<String, Object> answer) {
    return (Map<String, Object>) answer.get("data");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String json) {
    try {
      return (Map<String, Object>) MiniJson.parse(json);
    } catch (RuntimeException e) {
      throw new IllegalStateException("not a Prometheus API answer: " + json, e);
    }
  }
}
