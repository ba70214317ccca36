package dev.sextant.tracespec;

import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Explains a match as rows of the side-by-side report and a list of problems. Where a level fits,
 * the rows follow the engine's assignment. Where it does not, an explanatory assignment is built
 * greedily: spans that fit a matcher entirely first, then spans that fit a matcher's own fields
 * (their subtree is then explained one level down), and what is left over is missing or extra; each
 * missing matcher names the closest span at that level and what differs.
 */
final class Diagnosis {
  private final MatchEngine engine;
  final List<ReportRow> rows = new ArrayList<>();
  final List<Problem> problems = new ArrayList<>();

  Diagnosis(MatchEngine engine) {
    this.engine = engine;
  }

  void level(
      List<SpanMatcher> matchers,
      List<TraceNode> nodes,
      boolean ordered,
      boolean allowExtra,
      int depth,
      String path) {
    int[] exact = engine.assign(matchers, nodes, ordered, allowExtra);
    if (exact != null) {
      for (int i = 0; i < nodes.size(); i++) {
        if (exact[i] < 0) {
          ignored(nodes.get(i), depth);
        } else {
          paired(ReportRow.Mark.OK, matchers.get(exact[i]), nodes.get(i), depth, path);
        }
      }
      return;
    }
    int problemsBefore = problems.size();
    int[] claim = new int[nodes.size()];
    boolean[] whole = new boolean[nodes.size()];
    java.util.Arrays.fill(claim, -1);
    int[] got = new int[matchers.size()];
    // Whole fits up to each minimum, then up to each maximum, then partial fits up to the maximum
    // (a span that fits a matcher itself is explained below it rather than called extra).
    for (int pass = 0; pass < 3; pass++) {
      for (int j = 0; j < matchers.size(); j++) {
        SpanMatcher m = matchers.get(j);
        int limit = pass == 0 ? m.count().min() : m.count().max();
        for (int i = 0; i < nodes.size() && got[j] < limit; i++) {
          if (claim[i] >= 0) {
            continue;
          }
          boolean fit =
              pass < 2
                  ? engine.fits(m, nodes.get(i))
                  : engine.problems(m, nodes.get(i).span()).isEmpty();
          if (fit) {
            claim[i] = j;
            whole[i] = pass < 2;
            got[j]++;
          }
        }
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      TraceNode node = nodes.get(i);
      if (claim[i] < 0) {
        if (allowExtra) {
          ignored(node, depth);
        } else {
          extra(node, depth, path, matchers);
        }
      } else {
        paired(
            whole[i] ? ReportRow.Mark.OK : ReportRow.Mark.BELOW,
            matchers.get(claim[i]),
            node,
            depth,
            path);
      }
    }
    for (int j = 0; j < matchers.size(); j++) {
      SpanMatcher m = matchers.get(j);
      if (got[j] < m.count().min()) {
        missing(m, m.count().min() - got[j], nodes, claim, matchers, depth, path);
      }
    }
    if (problems.size() == problemsBefore) {
      // Every span is claimed and every count met, so only the order can be wrong.
      String message =
          ordered
              ? "children are not in the expected order (actual start order: "
                  + String.join(", ", nodes.stream().map(n -> n.span().name()).toList())
                  + ")"
              : "no assignment of spans to matchers satisfies every count";
      rows.add(new ReportRow(ReportRow.Mark.ORDER, depth, "(ordered)", "", message));
      problems.add(new Problem(Problem.Kind.ORDER, path, message));
    }
  }

  /** A span claimed by a matcher, and the explanation of its children. */
  private void paired(ReportRow.Mark mark, SpanMatcher m, TraceNode node, int depth, String path) {
    rows.add(new ReportRow(mark, depth, m.label(), label(node.span()), ""));
    level(
        m.children(),
        node.children(),
        m.ordered(),
        m.allowExtra(),
        depth + 1,
        join(path, m.label()));
  }

  private void ignored(TraceNode node, int depth) {
    String below = node.size() > 1 ? " (+" + (node.size() - 1) + " below)" : "";
    rows.add(
        new ReportRow(
            ReportRow.Mark.IGNORED, depth, "", label(node.span()) + below, "extra, allowed"));
  }

  private void extra(TraceNode node, int depth, String path, List<SpanMatcher> matchers) {
    String note = "";
    for (SpanMatcher m : matchers) {
      if (engine.problems(m, node.span()).isEmpty()) {
        note = "fits " + m.label() + ", but its count " + m.count() + " is already met";
        break;
      }
    }
    rows.add(new ReportRow(ReportRow.Mark.EXTRA, depth, "", label(node.span()), note));
    problems.add(
        new Problem(
            Problem.Kind.EXTRA,
            path,
            "unexpected span " + label(node.span()) + (note.isEmpty() ? "" : " (" + note + ")")));
    for (TraceNode child : node.children()) {
      extraBelow(child, depth + 1, join(path, node.span().name()));
    }
  }

  private void extraBelow(TraceNode node, int depth, String path) {
    rows.add(new ReportRow(ReportRow.Mark.EXTRA, depth, "", label(node.span()), ""));
    problems.add(new Problem(Problem.Kind.EXTRA, path, "unexpected span " + label(node.span())));
    for (TraceNode child : node.children()) {
      extraBelow(child, depth + 1, join(path, node.span().name()));
    }
  }

  private void missing(
      SpanMatcher m,
      int lacking,
      List<TraceNode> nodes,
      int[] claim,
      List<SpanMatcher> matchers,
      int depth,
      String path) {
    String closest = closest(m, nodes, claim, matchers);
    String expected = m.label();
    String message =
        (lacking == 1 ? "no span for " : lacking + " spans short for ")
            + expected
            + (m.count().equals(CountRange.ONE) ? "" : " (count " + m.count() + ")");
    rows.add(new ReportRow(ReportRow.Mark.MISSING, depth, expected, "(missing)", closest));
    problems.add(new Problem(Problem.Kind.MISSING, path, message + "; " + closest));
  }

  private String closest(SpanMatcher m, List<TraceNode> nodes, int[] claim, List<SpanMatcher> all) {
    if (nodes.isEmpty()) {
      return "closest: none, no span at this level";
    }
    TraceNode best = null;
    List<String> bestProblems = null;
    boolean bestFree = false;
    for (int i = 0; i < nodes.size(); i++) {
      List<String> p = engine.problems(m, nodes.get(i).span());
      boolean free = claim[i] < 0;
      boolean better =
          best == null
              || p.size() < bestProblems.size()
              || (p.size() == bestProblems.size() && free && !bestFree);
      if (better) {
        best = nodes.get(i);
        bestProblems = p;
        bestFree = free;
      }
    }
    String head = "closest: " + label(best.span());
    if (!bestProblems.isEmpty()) {
      return head + ": " + String.join("; ", bestProblems);
    }
    int i = nodes.indexOf(best);
    return claim[i] >= 0
        ? head + " fits, but is claimed by " + all.get(claim[i]).label()
        : head + " fits itself, but not below it";
  }

  static String label(Span span) {
    StringBuilder s = new StringBuilder(span.name());
    if (span.statusCode() == StatusCode.ERROR) {
      s.append(" ERROR");
    }
    s.append(" (").append(Durations.human(span.durationNanos())).append(')');
    return s.toString();
  }

  private static String join(String path, String label) {
    return path.isEmpty() ? label : path + " > " + label;
  }
}
