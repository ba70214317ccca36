package dev.sextant.tracespec;

import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a stored trace into a spec it matches: names as exact globs, kind, Mastra type, status when
 * not UNSET, and every attribute not listed as volatile as an equality. Ids and times never enter a
 * spec; durations are left unbounded. Adjacent identical siblings collapse into one matcher with a
 * count (exact, or {@code "1.."} with {@link RecordOptions#generaliseCounts()}).
 */
public final class TraceRecorder {
  private final VolatileKeys volatileKeys;
  private final RecordOptions options;

  private TraceRecorder(RecordOptions options) {
    this.options = options;
    this.volatileKeys = new VolatileKeys(options.volatileAttributes());
  }

  public static TraceSpec record(List<Span> spans, RecordOptions options) {
    TraceRecorder r = new TraceRecorder(options);
    return new TraceSpec("", r.siblings(TraceNode.forest(spans)), false, false);
  }

  private List<SpanMatcher> siblings(List<TraceNode> nodes) {
    List<SpanMatcher> out = new ArrayList<>();
    List<Integer> runs = new ArrayList<>();
    for (TraceNode node : nodes) {
      SpanMatcher m = matcher(node);
      int last = out.size() - 1;
      if (last >= 0 && out.get(last).equals(m)) {
        runs.set(last, runs.get(last) + 1);
      } else {
        out.add(m);
        runs.add(1);
      }
    }
    for (int i = 0; i < out.size(); i++) {
      int n = runs.get(i);
      if (n > 1) {
        out.set(
            i,
            withCount(
                out.get(i),
                options.generaliseCounts() ? CountRange.atLeast(1) : CountRange.exactly(n)));
      }
    }
    return out;
  }

  private SpanMatcher matcher(TraceNode node) {
    Span span = node.span();
    Map<String, AttributePredicate> attributes = new LinkedHashMap<>();
    Object type = span.attributes().get(SpanMatcher.TYPE_ATTRIBUTE);
    for (Map.Entry<String, Object> e : span.attributes().entrySet()) {
      if (!e.getKey().equals(SpanMatcher.TYPE_ATTRIBUTE) && !volatileKeys.contains(e.getKey())) {
        attributes.put(e.getKey(), new AttributePredicate.Equals(e.getValue()));
      }
    }
    return new SpanMatcher(
        TextPattern.literal(span.name()),
        type instanceof String t ? TextPattern.literal(t) : null,
        span.kind(),
        options.service() ? TextPattern.literal(span.serviceName()) : null,
        span.statusCode() == StatusCode.UNSET ? null : span.statusCode(),
        null,
        attributes,
        CountRange.ONE,
        false,
        false,
        siblings(node.children()));
  }

  private static SpanMatcher withCount(SpanMatcher m, CountRange count) {
    return new SpanMatcher(
        m.name(),
        m.type(),
        m.kind(),
        m.service(),
        m.status(),
        m.duration(),
        m.attributes(),
        count,
        m.ordered(),
        m.allowExtra(),
        m.children());
  }
}
