package dev.sextant.tracespec;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.model.SummaryPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a spec's metric and log expectations. Each expectation counts the series (or records) that
 * satisfy it, independently of the others, and is met when its count allows that number; an unmet
 * one names the closest series or record and what differs, as a missing span matcher does.
 */
final class SignalCheck {
  private final MatchEngine engine;
  private final MatchBudget budget;
  private final Map<String, SpanMatcher> matcherById;
  private final Map<String, TraceNode> nodeBySpanId = new HashMap<>();
  private final long start;
  private final long end;
  final List<ReportRow> metricRows = new ArrayList<>();
  final List<ReportRow> logRows = new ArrayList<>();
  final List<Problem> problems = new ArrayList<>();

  SignalCheck(
      MatchEngine engine,
      MatchBudget budget,
      TraceSpec spec,
      List<TraceNode> forest,
      List<Span> spans) {
    this.engine = engine;
    this.budget = budget;
    this.matcherById = SpecParser.matcherIds(spec.spans());
    index(forest);
    this.start = TraceTelemetry.startNanos(spans);
    this.end = TraceTelemetry.endNanos(spans) + spec.metricWindow().afterNanos();
  }

  private void index(List<TraceNode> nodes) {
    for (TraceNode n : nodes) {
      nodeBySpanId.put(n.span().spanId(), n);
      index(n.children());
    }
  }

  void metrics(List<MetricExpectation> expectations, List<SeriesSamples> series) {
    for (int i = 0; i < expectations.size(); i++) {
      MetricExpectation e = expectations.get(i);
      List<String> fitting = new ArrayList<>();
      String closest = null;
      int closestProblems = Integer.MAX_VALUE;
      for (SeriesSamples s : series) {
        budget.compare();
        List<String> p = problems(e, s);
        if (p.isEmpty()) {
          fitting.add(reading(e, s));
        } else if (p.size() < closestProblems && e.name().matches(s.series().name(), budget)) {
          // Only a series of the expected metric is a candidate worth naming.
          closestProblems = p.size();
          closest = seriesLabel(e, s) + ": " + String.join("; ", p);
        }
      }
      verdict(
          metricRows,
          Problem.Kind.METRIC,
          "metrics[" + i + "]",
          e.label(),
          e.count(),
          fitting,
          "series",
          "series",
          closest == null ? "no series of this metric in the trace's window" : closest);
    }
  }

  void logs(List<LogExpectation> expectations, List<LogRecord> logs) {
    for (int i = 0; i < expectations.size(); i++) {
      LogExpectation e = expectations.get(i);
      List<String> fitting = new ArrayList<>();
      String closest = null;
      int closestProblems = Integer.MAX_VALUE;
      for (LogRecord r : logs) {
        budget.compare();
        List<String> p = problems(e, r);
        if (p.isEmpty()) {
          fitting.add(logLabel(r));
        } else if (p.size() < closestProblems) {
          closestProblems = p.size();
          closest = logLabel(r) + ": " + String.join("; ", p);
        }
      }
      verdict(
          logRows,
          Problem.Kind.LOG,
          "logs[" + i + "]",
          e.label(),
          e.count(),
          fitting,
          "log",
          "logs",
          closest == null ? "the trace has no logs" : closest);
    }
  }

  private void verdict(
      List<ReportRow> rows,
      Problem.Kind kind,
      String path,
      String expected,
      CountRange count,
      List<String> fitting,
      String one,
      String many,
      String closest) {
    int n = fitting.size();
    String fit = n + " " + (n == 1 ? one + " fits" : many + " fit");
    String actual =
        n == 0 ? "(none)" : fitting.getFirst() + (n > 1 ? " (+" + (n - 1) + " more)" : "");
    if (count.allows(n)) {
      rows.add(new ReportRow(ReportRow.Mark.OK, 0, expected, actual, ""));
      return;
    }
    String note =
        n < count.min()
            ? (n == 0 ? "closest: " + closest : fit + ", expected " + count)
            : fit + ", expected at most " + count.max();
    rows.add(new ReportRow(ReportRow.Mark.MISSING, 0, expected, actual, note));
    problems.add(new Problem(kind, path, expected + ": " + note));
  }

  /** What about the series contradicts the expectation; empty when it fits. */
  private List<String> problems(MetricExpectation e, SeriesSamples s) {
    List<String> out = new ArrayList<>();
    if (!e.name().matches(s.series().name(), budget)) {
      out.add("name \"" + s.series().name() + "\" is not " + e.name());
    }
    for (Map.Entry<String, AttributePredicate> l : e.labels().entrySet()) {
      String actual = s.series().labels().get(l.getKey());
      if (!l.getValue().test(actual, budget)) {
        out.add(AttributePredicate.Values.mismatch("label", l.getKey(), actual, l.getValue()));
      }
    }
    Double value = last(s.points(), start, end);
    if (value == null) {
      out.add("no sample in the trace's window");
      return out;
    }
    if (e.value() != null && !e.value().test(value, budget)) {
      out.add("value " + AttributePredicate.Values.show(value) + ", expected " + e.value());
    }
    double delta = value - baseline(s);
    if (e.delta() != null && !e.delta().test(delta, budget)) {
      out.add("delta " + AttributePredicate.Values.show(delta) + ", expected " + e.delta());
    }
    return out;
  }

  private String reading(MetricExpectation e, SeriesSamples s) {
    double value = last(s.points(), start, end);
    return seriesLabel(e, s)
        + " = "
        + AttributePredicate.Values.show(value)
        + " (delta "
        + AttributePredicate.Values.show(value - baseline(s))
        + ")";
  }

  /** The series' name and the labels the expectation names: enough to tell series apart. */
  private static String seriesLabel(MetricExpectation e, SeriesSamples s) {
    StringBuilder out = new StringBuilder(s.series().name());
    List<String> shown = new ArrayList<>();
    for (String key : e.labels().keySet()) {
      String v = s.series().labels().get(key);
      if (v != null) {
        shown.add(key + "=" + AttributePredicate.Values.show(v));
      }
    }
    if (!shown.isEmpty()) {
      out.append('{').append(String.join(", ", shown)).append('}');
    }
    return out.toString();
  }

  private double baseline(SeriesSamples s) {
    Double before = last(s.points(), Long.MIN_VALUE, start - 1);
    return before == null ? 0 : before;
  }

  /** The value of the latest sample within {@code [from, to]}; null when there is none. */
  private static Double last(List<MetricPoint> points, long from, long to) {
    MetricPoint latest = null;
    for (MetricPoint p : points) {
      long t = p.timeUnixNanos();
      if (t >= from && t <= to && (latest == null || t >= latest.timeUnixNanos())) {
        latest = p;
      }
    }
    return latest == null ? null : valueOf(latest);
  }

  private static double valueOf(MetricPoint p) {
    return switch (p) {
      case NumberPoint n -> n.value();
      case HistogramPoint h -> h.count();
      case ExponentialHistogramPoint h -> h.count();
      case SummaryPoint h -> h.count();
    };
  }

  /** What about the record contradicts the expectation; empty when it fits. */
  private List<String> problems(LogExpectation e, LogRecord r) {
    List<String> out = new ArrayList<>();
    LogLevel level = LogLevel.of(r.severityNumber(), r.severityText());
    if (e.level() != null && level != e.level()) {
      out.add("level " + level + ", expected " + e.level());
    }
    if (e.minLevel() != null && (level == null || level.compareTo(e.minLevel()) < 0)) {
      out.add("level " + level + ", expected " + e.minLevel() + " or above");
    }
    if (e.message() != null && !e.message().matches(r.bodyText(), budget)) {
      out.add("message is not " + e.message());
    }
    for (Map.Entry<String, AttributePredicate> a : e.attributes().entrySet()) {
      Object actual = r.attributes().get(a.getKey());
      if (actual == null) {
        actual = r.resourceAttributes().get(a.getKey());
      }
      if (!a.getValue().test(actual, budget)) {
        out.add(AttributePredicate.Values.mismatch("attribute", a.getKey(), actual, a.getValue()));
      }
    }
    if (e.span() != null) {
      TraceNode node = nodeBySpanId.get(r.spanId());
      if (node == null) {
        out.add(
            r.spanId().isEmpty()
                ? "not linked to a span"
                : "linked to span " + r.spanId() + ", which is not in this trace");
      } else if (!e.span().equals(LogExpectation.ANY_SPAN) && !matcherById.containsKey(e.span())) {
        // The parser refuses this; a spec built in Java may still name no matcher.
        out.add("no span matcher has the id " + e.span());
      } else if (!e.span().equals(LogExpectation.ANY_SPAN)
          && !engine.fits(matcherById.get(e.span()), node)) {
        out.add("linked to " + Diagnosis.label(node.span()) + ", which does not fit #" + e.span());
      }
    }
    return out;
  }

  private String logLabel(LogRecord r) {
    LogLevel level = LogLevel.of(r.severityNumber(), r.severityText());
    TraceNode node = nodeBySpanId.get(r.spanId());
    return (level == null ? "?" : level.name())
        + " "
        + AttributePredicate.Values.show(r.bodyText())
        + (node == null ? "" : " (span " + node.span().name() + ")");
  }
}
