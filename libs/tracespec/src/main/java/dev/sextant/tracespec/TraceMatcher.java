package dev.sextant.tracespec;

import dev.sextant.model.Span;
import java.util.List;

/** Checks stored traces against specs. Stateless; one {@link MatchBudget} per check. */
public final class TraceMatcher {
  /** Widest expected column of the report; longer labels are cut. */
  static final int MAX_COLUMN = 60;

  private TraceMatcher() {}

  public static MatchResult check(TraceSpec spec, List<Span> spans) {
    return check(spec, spans, MatchBudget.defaults());
  }

  /**
   * Checks the spans of one trace against {@code spec}.
   *
   * @throws TraceSpecException with reason TOO_EXPENSIVE when the budget runs out
   */
  public static MatchResult check(TraceSpec spec, List<Span> spans, MatchBudget budget) {
    List<TraceNode> forest = TraceNode.forest(spans);
    MatchEngine engine = new MatchEngine(budget);
    boolean matched =
        engine.assign(spec.spans(), forest, spec.ordered(), spec.allowExtra()) != null;
    Diagnosis diagnosis = new Diagnosis(engine);
    diagnosis.level(spec.spans(), forest, spec.ordered(), spec.allowExtra(), 0, "");
    int spanCount = spans.size();
    String summary = summary(matched, diagnosis.problems, spanCount);
    String report = render(matched, summary, diagnosis.rows);
    return new MatchResult(matched, summary, diagnosis.problems, report, spanCount);
  }

  private static String summary(boolean matched, List<Problem> problems, int spanCount) {
    if (matched) {
      return "trace matches the spec (" + spanCount + " spans)";
    }
    long missing = problems.stream().filter(p -> p.kind() == Problem.Kind.MISSING).count();
    long extra = problems.stream().filter(p -> p.kind() == Problem.Kind.EXTRA).count();
    long order = problems.stream().filter(p -> p.kind() == Problem.Kind.ORDER).count();
    StringBuilder s = new StringBuilder("trace does not match the spec: ");
    String sep = "";
    if (missing > 0) {
      s.append(missing).append(" missing");
      sep = ", ";
    }
    if (extra > 0) {
      s.append(sep).append(extra).append(" extra");
      sep = ", ";
    }
    if (order > 0) {
      s.append(sep).append(order).append(" out of order");
    }
    return s.append(" (").append(spanCount).append(" spans)").toString();
  }

  private static String render(boolean matched, String summary, List<ReportRow> rows) {
    int width = "expected".length();
    for (ReportRow r : rows) {
      width = Math.max(width, Math.min(MAX_COLUMN, indent(r) + r.expected().length()));
    }
    StringBuilder out = new StringBuilder();
    out.append(matched ? "PASS " : "FAIL ").append(summary).append('\n');
    out.append("  ").append(pad("expected", width)).append(" | actual\n");
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
    return out.toString();
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
