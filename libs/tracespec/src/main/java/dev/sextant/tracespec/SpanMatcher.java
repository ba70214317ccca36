package dev.sextant.tracespec;

import dev.sextant.model.SpanKind;
import dev.sextant.model.StatusCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expected shape of {@link #count} sibling spans and of their subtrees. A null field is not
 * checked. {@code type} is Mastra's span type ({@code mastra.span.type}); attributes are looked up
 * on the span, then on its resource. {@code children} are matched ordering-insensitively unless
 * {@code ordered}; a child span no child matcher claims fails the match unless {@code allowExtra}.
 * {@code id} (optional) names the matcher so that a log expectation can say which span it is linked
 * to; it takes no part in matching spans.
 */
public record SpanMatcher(
    TextPattern name,
    TextPattern type,
    SpanKind kind,
    TextPattern service,
    StatusCode status,
    DurationBounds duration,
    Map<String, AttributePredicate> attributes,
    CountRange count,
    boolean ordered,
    boolean allowExtra,
    List<SpanMatcher> children,
    String id) {

  /** The attribute {@code type} reads. */
  public static final String TYPE_ATTRIBUTE = "mastra.span.type";

  public SpanMatcher {
    attributes =
        attributes == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    count = count == null ? CountRange.ONE : count;
    children = children == null ? List.of() : List.copyOf(children);
  }

  /** A matcher of exactly one span named {@code name} with no children. */
  public static SpanMatcher named(String name) {
    return new SpanMatcher(
        TextPattern.literal(name),
        null,
        null,
        null,
        null,
        null,
        Map.of(),
        CountRange.ONE,
        false,
        false,
        List.of(),
        null);
  }

  /** This matcher with another count. */
  public SpanMatcher withCount(CountRange newCount) {
    return new SpanMatcher(
        name,
        type,
        kind,
        service,
        status,
        duration,
        attributes,
        newCount,
        ordered,
        allowExtra,
        children,
        id);
  }

  /** One line that says what this matcher expects, for reports. */
  public String label() {
    StringBuilder s = new StringBuilder();
    s.append(name == null ? "*" : name.shortForm());
    if (type != null) {
      s.append(" type=").append(type.shortForm());
    }
    if (kind != null) {
      s.append(" kind=").append(kind);
    }
    if (!count.equals(CountRange.ONE)) {
      s.append(" x").append(count);
    }
    return s.toString();
  }
}
