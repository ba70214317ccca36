package dev.sextant.query.core;

import dev.sextant.model.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The spans of one trace arranged as a forest. The top level holds the roots and the orphans (spans
 * whose parent is not stored: not arrived yet, sampled away or deleted), and also spans cut loose
 * to keep the forest finite and shallow: a span in a parent cycle (corrupt or hostile input) and a
 * span deeper than {@code maxDepth}. Every span appears exactly once; siblings and the top level
 * are ordered by start time, then span id. Iterative, so a deep trace cannot overflow the stack.
 */
public final class SpanTree {
  private static final Comparator<Span> BY_START =
      Comparator.comparingLong(Span::startTimeUnixNanos).thenComparing(Span::spanId);

  private SpanTree() {}

  public static List<SpanNode> build(List<Span> spans, int maxDepth) {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(BY_START);
    Set<String> ids = new HashSet<>();
    sorted.forEach(s -> ids.add(s.spanId()));
    Map<String, List<Span>> childrenOf = new HashMap<>();
    List<Span> tops = new ArrayList<>();
    for (Span span : sorted) {
      String parent = span.parentSpanId();
      if (parent.isEmpty() || parent.equals(span.spanId()) || !ids.contains(parent)) {
        tops.add(span);
      } else {
        childrenOf.computeIfAbsent(parent, p -> new ArrayList<>()).add(span);
      }
    }

    Map<String, List<String>> placed = new HashMap<>(); // span id -> child ids kept under it
    Set<String> visited = new HashSet<>();
    List<Span> topLevel = new ArrayList<>();
    Deque<Span> pendingTops = new ArrayDeque<>(tops);
    int next = 0;
    while (true) {
      if (pendingTops.isEmpty()) {
        // Whatever was never reached sits in a parent cycle: cut the earliest loose.
        while (next < sorted.size() && visited.contains(sorted.get(next).spanId())) {
          next++;
        }
        if (next == sorted.size()) {
          break;
        }
        pendingTops.add(sorted.get(next));
      }
      Span top = pendingTops.poll();
      if (!visited.add(top.spanId())) {
        continue;
      }
      topLevel.add(top);
      walk(top, maxDepth, childrenOf, visited, placed, pendingTops);
    }

    Map<String, Span> byId = new HashMap<>();
    sorted.forEach(s -> byId.put(s.spanId(), s));
    topLevel.sort(BY_START);
    List<SpanNode> forest = new ArrayList<>(topLevel.size());
    for (Span top : topLevel) {
      forest.add(node(top, placed, byId));
    }
    return forest;
  }

  /** Marks the subtree under {@code top}, keeping at most {@code maxDepth} levels below it. */
  private static void walk(
      Span top,
      int maxDepth,
      Map<String, List<Span>> childrenOf,
      Set<String> visited,
      Map<String, List<String>> placed,
      Deque<Span> pendingTops) {
    record Step(Span span, int depth) {}
    Deque<Step> stack = new ArrayDeque<>();
    stack.push(new Step(top, 0));
    while (!stack.isEmpty()) {
      Step step = stack.pop();
      for (Span child : childrenOf.getOrDefault(step.span().spanId(), List.of())) {
        if (step.depth() + 1 >= maxDepth) {
          pendingTops.add(child);
        } else if (visited.add(child.spanId())) {
          placed.computeIfAbsent(step.span().spanId(), p -> new ArrayList<>()).add(child.spanId());
          stack.push(new Step(child, step.depth() + 1));
        }
      }
    }
  }

  /** Builds the immutable nodes bottom-up without recursion. */
  private static SpanNode node(Span top, Map<String, List<String>> placed, Map<String, Span> byId) {
    // Post-order: a node is built once all its children are.
    Map<String, SpanNode> built = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> expanded = new HashSet<>();
    stack.push(top.spanId());
    while (!stack.isEmpty()) {
      String id = stack.peek();
      List<String> children = placed.getOrDefault(id, List.of());
      if (expanded.add(id)) {
        children.forEach(stack::push);
        continue;
      }
      stack.pop();
      List<SpanNode> childNodes = new ArrayList<>(children.size());
      children.forEach(c -> childNodes.add(built.remove(c)));
      built.put(id, new SpanNode(byId.get(id), childNodes));
    }
    return built.get(top.spanId());
  }

  /** The forest depth first: every span after its parent, siblings in start order. */
  public static List<Span> flatten(List<SpanNode> forest) {
    List<Span> out = new ArrayList<>();
    Deque<SpanNode> stack = new ArrayDeque<>();
    for (int i = forest.size() - 1; i >= 0; i--) {
      stack.push(forest.get(i));
    }
    while (!stack.isEmpty()) {
      SpanNode node = stack.pop();
      out.add(node.span());
      for (int i = node.children().size() - 1; i >= 0; i--) {
        stack.push(node.children().get(i));
      }
    }
    return out;
  }
}
