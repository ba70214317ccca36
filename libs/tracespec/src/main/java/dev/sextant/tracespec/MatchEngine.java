package dev.sextant.tracespec;

import dev.sextant.model.Span;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether spans fit matchers. A matcher fits a span when the span's own fields satisfy it
 * and the span's children can be assigned to the matcher's children: each child span to at most one
 * child matcher, each matcher receiving a number of spans within its count, in start order when
 * {@code ordered}, and no span left over unless {@code allowExtra}. The assignment is a
 * backtracking search; every step is charged to the {@link MatchBudget}, and subtree results are
 * memoised per (matcher, span), so a check is bounded however hostile the spec.
 */
final class MatchEngine {
  private final MatchBudget budget;
  private final Map<SpanMatcher, Map<TraceNode, Boolean>> fits = new IdentityHashMap<>();

  MatchEngine(MatchBudget budget) {
    this.budget = budget;
  }

  /** Whether {@code node} and its subtree fit {@code matcher}. */
  boolean fits(SpanMatcher matcher, TraceNode node) {
    Map<TraceNode, Boolean> known = fits.computeIfAbsent(matcher, k -> new IdentityHashMap<>());
    Boolean cached = known.get(node);
    if (cached != null) {
      return cached;
    }
    budget.step();
    boolean result =
        problems(matcher, node.span()).isEmpty()
            && assign(matcher.children(), node.children(), matcher.ordered(), matcher.allowExtra())
                != null;
    known.put(node, result);
    return result;
  }

  /**
   * For each node, the index of the matcher it is assigned to, or -1 for an allowed extra; null
   * when no assignment satisfies every count.
   */
  int[] assign(
      List<SpanMatcher> matchers, List<TraceNode> nodes, boolean ordered, boolean allowExtra) {
    Search search = new Search(matchers, nodes, ordered, allowExtra);
    return search.run(0, 0) ? search.assignment : null;
  }

  private final class Search {
    final List<SpanMatcher> matchers;
    final List<TraceNode> nodes;
    final boolean ordered;
    final boolean allowExtra;
    final int[] assignment;
    final int[] counts;

    Search(List<SpanMatcher> matchers, List<TraceNode> nodes, boolean ordered, boolean allowExtra) {
      this.matchers = matchers;
      this.nodes = nodes;
      this.ordered = ordered;
      this.allowExtra = allowExtra;
      this.assignment = new int[nodes.size()];
      this.counts = new int[matchers.size()];
    }

    boolean run(int i, int lowest) {
      budget.step();
      int deficit = 0;
      for (int j = 0; j < matchers.size(); j++) {
        deficit += Math.max(0, matchers.get(j).count().min() - counts[j]);
      }
      if (deficit > nodes.size() - i) {
        return false;
      }
      if (i == nodes.size()) {
        return true;
      }
      TraceNode node = nodes.get(i);
      for (int j = ordered ? lowest : 0; j < matchers.size(); j++) {
        SpanMatcher m = matchers.get(j);
        if (counts[j] < m.count().max() && fits(m, node)) {
          counts[j]++;
          assignment[i] = j;
          if (run(i + 1, j)) {
            return true;
          }
          counts[j]--;
        }
      }
      if (allowExtra) {
        assignment[i] = -1;
        return run(i + 1, lowest);
      }
      return false;
    }
  }

  /** What about the span itself (not its children) contradicts the matcher; empty when it fits. */
  List<String> problems(SpanMatcher m, Span span) {
    List<String> out = new ArrayList<>();
    if (m.name() != null && !m.name().matches(span.name(), budget)) {
      out.add("name \"" + span.name() + "\" is not " + m.name());
    }
    if (m.type() != null) {
      Object type = attribute(span, SpanMatcher.TYPE_ATTRIBUTE);
      String text = AttributePredicate.Values.text(type);
      if (text == null || !m.type().matches(text, budget)) {
        out.add("type " + AttributePredicate.Values.show(type) + " is not " + m.type());
      }
    }
    if (m.kind() != null && m.kind() != span.kind()) {
      out.add("kind " + span.kind() + ", expected " + m.kind());
    }
    if (m.service() != null && !m.service().matches(span.serviceName(), budget)) {
      out.add("service \"" + span.serviceName() + "\" is not " + m.service());
    }
    if (m.status() != null && m.status() != span.statusCode()) {
      out.add("status " + span.statusCode() + ", expected " + m.status());
    }
    if (m.duration() != null && !m.duration().allows(span.durationNanos())) {
      out.add("duration " + Durations.human(span.durationNanos()) + ", expected " + m.duration());
    }
    for (Map.Entry<String, AttributePredicate> e : m.attributes().entrySet()) {
      Object actual = attribute(span, e.getKey());
      if (!e.getValue().test(actual, budget)) {
        out.add(AttributePredicate.Values.mismatch("attribute", e.getKey(), actual, e.getValue()));
      }
    }
    return out;
  }

  /** The span's attribute, else its resource's; null when neither has it. */
  static Object attribute(Span span, String key) {
    Object v = span.attributes().get(key);
    return v != null ? v : span.resourceAttributes().get(key);
  }
}
