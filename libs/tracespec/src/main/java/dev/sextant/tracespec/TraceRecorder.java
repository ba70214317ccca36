package dev.sextant.tracespec;

import dev.sextant.model.LogRecord;
import dev.sextant.model.Span;
import dev.sextant.model.StatusCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a stored trace into a spec it matches: names as exact globs, kind, Mastra type, status when
 * not UNSET, and every attribute not listed as volatile as an equality. Ids and times never enter a
 * spec; durations are left unbounded. Adjacent identical siblings collapse into one matcher with a
 * count (exact, or {@code "1.."} with {@link RecordOptions#generaliseCounts()}).
 */
public final class TraceRecorder {
  /** Longest log message recorded whole; a longer one is recorded as its start and a star. */
  static final int MESSAGE_PREFIX = 200;

  private final VolatileKeys volatileKeys;
  private final RecordOptions options;

  private TraceRecorder(RecordOptions options) {
    this.options = options;
    this.volatileKeys = new VolatileKeys(options.volatileAttributes());
  }

  public static TraceSpec record(List<Span> spans, RecordOptions options) {
    return record(spans, List.of(), options);
  }

  /**
   * Records the spans, and the logs as expectations: one per level and message, in order of first
   * appearance, with the exact count (or {@code "1.."} when generalising) and {@code span: "*"}
   * when every such record is linked to a span of the trace. Log attributes are not recorded: they
   * are mostly run-specific (ids, inputs).
   */
  public static TraceSpec record(List<Span> spans, List<LogRecord> logs, RecordOptions options) {
    TraceRecorder r = new TraceRecorder(options);
    return new TraceSpec(
        "",
        r.siblings(TraceNode.forest(spans)),
        false,
        false,
        List.of(),
        r.logs(spans, logs),
        MetricWindow.DEFAULT);
  }

  private List<LogExpectation> logs(List<Span> spans, List<LogRecord> logs) {
    Set<String> spanIds = new HashSet<>();
    spans.forEach(s -> spanIds.add(s.spanId()));
    Map<List<Object>, List<LogRecord>> groups = new LinkedHashMap<>();
    for (LogRecord r : logs) {
      LogLevel level = LogLevel.of(r.severityNumber(), r.severityText());
      groups.computeIfAbsent(Arrays.asList(level, r.bodyText()), k -> new ArrayList<>()).add(r);
    }
    List<LogExpectation> out = new ArrayList<>();
    for (Map.Entry<List<Object>, List<LogRecord>> g : groups.entrySet()) {
      String body = (String) g.getKey().get(1);
      // A long body is recorded by its start: patterns are at most TextPattern.MAX_LENGTH long.
      TextPattern message =
          body.length() <= MESSAGE_PREFIX
              ? TextPattern.literal(body)
              : TextPattern.glob(TextPattern.quote(body.substring(0, MESSAGE_PREFIX)) + "*");
      boolean linked = g.getValue().stream().allMatch(r -> spanIds.contains(r.spanId()));
      int n = g.getValue().size();
      out.add(
          new LogExpectation(
              (LogLevel) g.getKey().get(0),
              null,
              message,
              Map.of(),
              linked ? LogExpectation.ANY_SPAN : null,
              options.generaliseCounts() ? CountRange.atLeast(1) : CountRange.exactly(n)));
    }
    return out;
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
            out.get(i)
                .withCount(
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
        siblings(node.children()),
        null);
  }
}
