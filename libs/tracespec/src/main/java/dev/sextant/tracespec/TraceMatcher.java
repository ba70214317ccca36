package dev.sextant.tracespec;

import dev.sextant.model.Span;
import java.util.ArrayList;
import java.util.List;

/** Checks stored traces against specs. Stateless; one {@link MatchBudget} per check. */
public final class TraceMatcher {
  /** Widest expected column of the report; longer labels are cut. */
  static final int MAX_COLUMN = 60;

  private TraceMatcher() {}

  /** Checks the spans of one trace against a spec of spans only. */
  public static MatchResult check(TraceSpec spec, List<Span> spans) {
    return check(spec, spans, MatchBudget.defaults());
  }

  public static MatchResult check(TraceSpec spec, List<Span> spans, MatchBudget budget) {
    if (spec.expectsSignals()) {
      // Checking metric or log expectations against no data would report them all unmet.
      throw new IllegalArgumentException(
          "this spec has metric or log expectations: check it with the trace's TraceTelemetry");
    }
    return check(spec, TraceTelemetry.ofSpans(spans), budget);
  }

  public static MatchResult check(TraceSpec spec, TraceTelemetry trace) {
    return check(spec, trace, MatchBudget.defaults());
  }

  /**
   * Checks one trace (its spans, and its logs and metric series when the spec expects them) against
   * {@code spec}.
   *
   * @throws TraceSpecException with reason TOO_EXPENSIVE when the budget runs out
   */
  public static MatchResult check(TraceSpec spec, TraceTelemetry trace, MatchBudget budget) {
    List<Span> spans = trace.spans();
    List<TraceNode> forest = TraceNode.forest(spans);
    MatchEngine engine = new MatchEngine(budget);
    boolean spansMatch =
        engine.assign(spec.spans(), forest, spec.ordered(), spec.allowExtra()) != null;
    Diagnosis diagnosis = new Diagnosis(engine);
    diagnosis.level(spec.spans(), forest, spec.ordered(), spec.allowExtra(), 0, "");
    SignalCheck signals = new SignalCheck(engine, budget, spec, forest, spans);
    signals.metrics(spec.metrics(), trace.metrics());
    signals.logs(spec.logs(), trace.logs());
    List<Problem> problems = new ArrayList<>(diagnosis.problems);
    problems.addAll(signals.problems);
    boolean matched = spansMatch && signals.problems.isEmpty();
    String summary = summary(matched, problems, spec, trace);
    StringBuilder report = new StringBuilder();
    report.append(matched ? "PASS " : "FAIL ").append(summary).append('\n');
    table(report, "expected", diagnosis.rows);
    if (!spec.metrics().isEmpty()) {
      table(report, "metrics", signals.metricRows);
    }
    if (!spec.logs().isEmpty()) {
      table(report, "logs", signals.logRows);
    }
    return new MatchResult(matched, summary, problems, report.toString(), spans.size());
  }

  private static String summary(
      boolean matched, List<Problem> problems, TraceSpec spec, TraceTelemetry trace) {
    String counts = trace.spans().size() + " spans";
    if (spec.expectsSignals()) {
      int logs = trace.logs().size();
      counts +=
          ", "
              + logs
              + (logs == 1 ? " log, " : " logs, ")
              + trace.metrics().size()
              + " metric series";
    }
    if (matched) {
      return "trace matches the spec (" + counts + ")";
    }
    List<String> parts = new ArrayList<>();
    count(parts, problems, Problem.Kind.MISSING, " missing", " missing");
    count(parts, problems, Problem.Kind.EXTRA, " extra", " extra");
    count(parts, problems, Problem.Kind.ORDER, " out of order", " out of order");
    count(parts, problems, Problem.Kind.METRIC, " metric unmet", " metrics unmet");
    count(parts, problems, Problem.Kind.LOG, " log unmet", " logs unmet");
    return "trace does not match the spec: " + String.join(", ", parts) + " (" + counts + ")";
  }

  private static void count(
      List<String> parts, List<Problem> problems, Problem.Kind kind, String one, String many) {
    long n = problems.stream().filter(p -> p.kind() == kind).count();
    if (n > 0) {
      parts.add(n + (n == 1 ? one : many));
    }
  }

  /** One side-by-side table: {@code title} over the expected column, "actual" over the other. */
  private static void table(StringBuilder out, String title, List<ReportRow> rows) {
    int width = title.length();
    for (ReportRow r : rows) {
      width = Math.max(width, Math.min(MAX_COLUMN, indent(r) + r.expected().length()));
    }
    out.append("  ").append(pad(title, width)).append(" | actual\n");
    for (ReportRow r : rows) {
      String indent = " ".repeat(indent(r));
      String expected = cut(indent + r.expected(), width);
      out.append(r.mark().symbol).append(' ').append(pad(expected, width)).append(" | ");
      out.append(r.actual().isEmpty() ? "" : indent + r.actual());
      if (!r.note().isEmpty()) {
        out.append("   <- ").append(r.note());
      }
      out.append('\n');
    }
  }

  private static int indent(ReportRow r) {
    return 2 * r.depth();
  }

  private static String cut(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 3) + "...";
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
