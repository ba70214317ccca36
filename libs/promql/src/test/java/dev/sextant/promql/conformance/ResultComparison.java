package dev.sextant.promql.conformance;

import dev.sextant.model.Labels;
import dev.sextant.promql.engine.QueryResult;
import dev.sextant.promql.value.GoFormat;
import dev.sextant.promql.value.LabelSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares a range query's result from Prometheus (its JSON) with ours, by the compliance tester's
 * rules: equal label sets, equal timestamps, values equal within a relative 1e-5 (NaN equals NaN),
 * series order ignored (range results are sorted by labels on both sides anyway).
 */
public final class ResultComparison {
  private static final double FRACTION = 1e-5;
  private static final double MARGIN = 1e-12;

  private ResultComparison() {}

  /** A series as both sides give it: sorted by labels, points as (ms, value) pairs. */
  public record Points(long[] ts, double[] vs) {}

  /** Null when equal, else a description of the first differences. */
  public static String diff(Map<String, Points> expected, Map<String, Points> actual) {
    List<String> problems = new ArrayList<>();
    for (String k : expected.keySet()) {
      if (!actual.containsKey(k)) {
        problems.add("missing series " + k);
      }
    }
    for (String k : actual.keySet()) {
      if (!expected.containsKey(k)) {
        problems.add("unexpected series " + k);
      }
    }
    for (Map.Entry<String, Points> e : expected.entrySet()) {
      Points a = actual.get(e.getKey());
      if (a == null) {
        continue;
      }
      Points x = e.getValue();
      if (x.ts.length != a.ts.length) {
        problems.add(
            e.getKey()
                + ": "
                + x.ts.length
                + " points expected, got "
                + a.ts.length
                + firstTimestampDiff(x, a));
        continue;
      }
      for (int i = 0; i < x.ts.length; i++) {
        if (x.ts[i] != a.ts[i] || !close(x.vs[i], a.vs[i])) {
          problems.add(
              e.getKey()
                  + " @"
                  + x.ts[i]
                  + ": expected "
                  + GoFormat.formatFloat(x.vs[i])
                  + " got @"
                  + a.ts[i]
                  + " "
                  + GoFormat.formatFloat(a.vs[i]));
          break;
        }
      }
    }
    if (problems.isEmpty()) {
      return null;
    }
    return String.join("\n    ", problems.subList(0, Math.min(5, problems.size())))
        + (problems.size() > 5 ? "\n    ... " + (problems.size() - 5) + " more" : "");
  }

  private static String firstTimestampDiff(Points x, Points a) {
    for (int i = 0; i < Math.min(x.ts.length, a.ts.length); i++) {
      if (x.ts[i] != a.ts[i]) {
        return " (first difference at " + x.ts[i] + " vs " + a.ts[i] + ")";
      }
    }
    return "";
  }

  public static boolean close(double x, double y) {
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return Double.isNaN(x) && Double.isNaN(y);
    }
    if (x == y) {
      return true;
    }
    double diff = Math.abs(x - y);
    return diff <= Math.max(FRACTION * Math.min(Math.abs(x), Math.abs(y)), MARGIN);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Points> fromPrometheus(Map<String, Object> data) {
    Map<String, Points> out = new TreeMap<>();
    for (Object o : (List<Object>) data.get("result")) {
      Map<String, Object> series = (Map<String, Object>) o;
      out.put(LabelSets.format(labels(series)), points((List<Object>) series.get("values")));
    }
    return out;
  }

  /** The labels of one series of a Prometheus API answer. */
  @SuppressWarnings("unchecked")
  public static Labels labels(Map<String, Object> series) {
    TreeMap<String, String> labels = new TreeMap<>();
    ((Map<String, Object>) series.get("metric")).forEach((k, v) -> labels.put(k, (String) v));
    return Labels.of(labels);
  }

  /**
   * The {@code [seconds, "value"]} pairs of a Prometheus API answer, as milliseconds and values.
   */
  @SuppressWarnings("unchecked")
  public static Points points(List<Object> values) {
    long[] ts = new long[values.size()];
    double[] vs = new double[values.size()];
    for (int i = 0; i < values.size(); i++) {
      List<Object> p = (List<Object>) values.get(i);
      ts[i] = Math.round((Double) p.get(0) * 1000);
      vs[i] = GoFormat.parseFloat((String) p.get(1));
    }
    return new Points(ts, vs);
  }

  /**
   * An instant query's answer from Prometheus: vector samples, matrix series, or one entry named
   * "scalar" or "string"; {@code order} receives the keys in answer order.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Points> fromPrometheusInstant(
      Map<String, Object> data, List<String> order) {
    Map<String, Points> out = new TreeMap<>();
    Object result = data.get("result");
    switch ((String) data.get("resultType")) {
      case "scalar" -> out.put("scalar", points(List.of(result)));
      case "string" ->
          out.put(
              "string " + ((List<Object>) result).get(1), new Points(new long[0], new double[0]));
      case "vector" -> {
        for (Object o : (List<Object>) result) {
          Map<String, Object> s = (Map<String, Object>) o;
          String key = LabelSets.format(labels(s));
          order.add(key);
          out.put(key, points(List.of(s.get("value"))));
        }
      }
      default -> {
        for (Object o : (List<Object>) result) {
          Map<String, Object> s = (Map<String, Object>) o;
          String key = LabelSets.format(labels(s));
          order.add(key);
          out.put(key, points((List<Object>) s.get("values")));
        }
      }
    }
    return out;
  }

  static Map<String, Points> fromEngineInstant(QueryResult result, List<String> order) {
    Map<String, Points> out = new TreeMap<>();
    switch (result) {
      case QueryResult.Scalar s ->
          out.put("scalar", new Points(new long[] {s.timestampMs()}, new double[] {s.value()}));
      case QueryResult.Str s ->
          out.put("string " + s.value(), new Points(new long[0], new double[0]));
      case QueryResult.Vector v -> {
        for (QueryResult.Sample s : v.samples()) {
          String key = LabelSets.format(s.labels());
          order.add(key);
          out.put(key, new Points(new long[] {s.timestampMs()}, new double[] {s.value()}));
        }
      }
      case QueryResult.Matrix m -> {
        for (QueryResult.SeriesPoints s : m.series()) {
          String key = LabelSets.format(s.labels());
          order.add(key);
          out.put(key, new Points(s.timestampsMs(), s.values()));
        }
      }
    }
    return out;
  }

  static Map<String, Points> fromEngine(QueryResult result) {
    Map<String, Points> out = new TreeMap<>();
    for (QueryResult.SeriesPoints s : ((QueryResult.Matrix) result).series()) {
      out.put(LabelSets.format(s.labels()), new Points(s.timestampsMs(), s.values()));
    }
    return out;
  }
}
