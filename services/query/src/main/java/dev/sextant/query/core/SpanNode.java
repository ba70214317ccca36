package dev.sextant.query.core;

import dev.sextant.model.Span;
import java.util.List;

/** A span with its children, ordered by start time. */
public record SpanNode(Span span, List<SpanNode> children) {
  public SpanNode {
    children = List.copyOf(children);
  }
}
