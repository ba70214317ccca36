package dev.sextant.tracespec;

import dev.sextant.model.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stored span with its children. A trace is a forest: the roots, the orphans (their parent is not
 * stored) and spans in a parent cycle or deeper than {@link #MAX_DEPTH} are at the top level.
 * Siblings are sorted by start time, then span id, so "ordered" means "started in this order".
 */
public record TraceNode(Span span, List<TraceNode> children) {
  /** Deeper spans are listed at the top level (as the query service's tree does). */
  public static final int MAX_DEPTH = 200;

  static final Comparator<Span> BY_START =
      Comparator.comparingLong(Span::startTimeUnixNanos).thenComparing(Span::spanId);

  public TraceNode {
    children = List.copyOf(children);
  }

  /** The forest of {@code spans}; a span id seen twice keeps its first span. */
  public static List<TraceNode> forest(List<Span> spans) {
    Map<String, Span> byId = new HashMap<>();
    for (Span s : spans) {
      byId.putIfAbsent(s.spanId(), s);
    }
    Map<String, List<Span>> childrenOf = new HashMap<>();
    List<Span> tops = new ArrayList<>();
    for (Span s : byId.values()) {
      if (s.isRoot() || !byId.containsKey(s.parentSpanId())) {
        tops.add(s);
      } else {
        childrenOf.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      }
    }
    Set<String> placed = new HashSet<>();
    List<TraceNode> forest = new ArrayList<>();
    List<Span> pending = new ArrayList<>(tops);
    pending.sort(BY_START);
    for (int i = 0; i < pending.size(); i++) {
      forest.add(build(pending.get(i), childrenOf, placed, 0, pending));
    }
    // What is left sits in a parent cycle: list it at the top level too.
    List<Span> cyclic = new ArrayList<>();
    for (Span s : byId.values()) {
      if (!placed.contains(s.spanId())) {
        cyclic.add(s);
      }
    }
    cyclic.sort(BY_START);
    for (int i = 0; i < cyclic.size(); i++) {
      if (!placed.contains(cyclic.get(i).spanId())) {
        forest.add(build(cyclic.get(i), childrenOf, placed, 0, cyclic));
      }
    }
    forest.sort(Comparator.comparing(TraceNode::span, BY_START));
    return List.copyOf(forest);
  }

  private static TraceNode build(
      Span span,
      Map<String, List<Span>> childrenOf,
      Set<String> placed,
      int depth,
      List<Span> tops) {
    placed.add(span.spanId());
    List<Span> kids = new ArrayList<>(childrenOf.getOrDefault(span.spanId(), List.of()));
    kids.sort(BY_START);
    List<TraceNode> children = new ArrayList<>();
    for (Span kid : kids) {
      if (placed.contains(kid.spanId())) {
        continue;
      }
      if (depth + 1 >= MAX_DEPTH) {
        tops.add(kid);
        continue;
      }
      children.add(build(kid, childrenOf, placed, depth + 1, tops));
    }
    return new TraceNode(span, children);
  }

  /** This span and all below it. */
  public int size() {
    int n = 1;
    for (TraceNode c : children) {
      n += c.size();
    }
    return n;
  }
}
