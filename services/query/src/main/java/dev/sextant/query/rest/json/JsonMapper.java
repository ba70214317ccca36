package dev.sextant.query.rest.json;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanLink;
import dev.sextant.model.SummaryPoint;
import dev.sextant.query.core.SpanNode;
import dev.sextant.storage.query.TraceSummary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The model as the REST API's JSON. */
public final class JsonMapper {
  private JsonMapper() {}

  public static TraceJson trace(String traceId, List<SpanNode> forest) {
    int[] count = {0};
    List<SpanJson> spans = new ArrayList<>(forest.size());
    for (SpanNode top : forest) {
      spans.add(tree(top, count));
    }
    return new TraceJson(traceId, count[0], spans);
  }

  /** Builds a subtree bottom-up without recursion: trees may be deep. */
  private static SpanJson tree(SpanNode top, int[] count) {
    // By identity: a record's equals and hashCode would walk the whole subtree.
    Map<SpanNode, SpanJson> built = new IdentityHashMap<>();
    Deque<SpanNode> stack = new ArrayDeque<>();
    Deque<SpanNode> order = new ArrayDeque<>();
    stack.push(top);
    while (!stack.isEmpty()) {
      SpanNode node = stack.pop();
      order.push(node); // reversed pre-order: children come out before their parent
      node.children().forEach(stack::push);
    }
    while (!order.isEmpty()) {
      SpanNode node = order.pop();
      List<SpanJson> children = new ArrayList<>(node.children().size());
      node.children().forEach(c -> children.add(built.remove(c)));
      built.put(node, span(node.span(), children));
      count[0]++;
    }
    return built.get(top);
  }

  public static SpanJson span(Span s, List<SpanJson> children) {
    return new SpanJson(
        s.traceId(),
        s.spanId(),
        s.parentSpanId(),
        s.name(),
        s.kind().name(),
        Long.toString(s.startTimeUnixNanos()),
        Long.toString(s.endTimeUnixNanos()),
        s.durationNanos(),
        new SpanJson.StatusJson(s.statusCode().name(), s.statusMessage()),
        s.serviceName(),
        new SpanJson.ScopeJson(s.scopeName(), s.scopeVersion()),
        s.resourceAttributes(),
        s.attributes(),
        s.events().stream().map(JsonMapper::event).toList(),
        s.links().stream().map(JsonMapper::link).toList(),
        s.droppedAttributesCount(),
        children);
  }

  private static SpanJson.EventJson event(SpanEvent e) {
    return new SpanJson.EventJson(e.name(), Long.toString(e.timeUnixNanos()), e.attributes());
  }

  private static SpanJson.LinkJson link(SpanLink l) {
    return new SpanJson.LinkJson(l.traceId(), l.spanId(), l.attributes());
  }

  public static TraceSummaryJson summary(TraceSummary t) {
    return new TraceSummaryJson(
        t.traceId(),
        t.rootServiceName(),
        t.rootSpanName(),
        Long.toString(t.startTimeUnixNanos()),
        t.durationNanos(),
        t.spanCount(),
        t.errorCount());
  }

  public static LogRecordJson log(LogRecord r) {
    return new LogRecordJson(
        Long.toString(r.timeUnixNanos()),
        Long.toString(r.observedTimeUnixNanos()),
        r.severityNumber(),
        r.severityText(),
        r.body(),
        r.serviceName(),
        r.scopeName(),
        r.traceId(),
        r.spanId(),
        r.resourceAttributes(),
        r.attributes(),
        r.droppedAttributesCount());
  }

  public static SeriesJson series(MetricSeries s) {
    return new SeriesJson(
        Long.toUnsignedString(s.id()),
        s.name(),
        s.labels().asMap(),
        s.type().name(),
        s.temporality().name(),
        s.unit(),
        s.description());
  }

  public static PointJson point(MetricPoint point) {
    String start = Long.toString(point.startTimeUnixNanos());
    String time = Long.toString(point.timeUnixNanos());
    return switch (point) {
      case NumberPoint n -> PointJson.number(start, time, n.value());
      case HistogramPoint h ->
          new PointJson(
              start,
              time,
              null,
              new PointJson.HistogramJson(
                  h.count(),
                  h.sum(),
                  orNull(h.min()),
                  orNull(h.max()),
                  h.bounds(),
                  h.bucketCounts()),
              null,
              null);
      case ExponentialHistogramPoint e ->
          new PointJson(
              start,
              time,
              null,
              null,
              new PointJson.ExponentialHistogramJson(
                  e.count(),
                  e.sum(),
                  orNull(e.min()),
                  orNull(e.max()),
                  e.scale(),
                  e.zeroCount(),
                  e.zeroThreshold(),
                  buckets(e.positive()),
                  buckets(e.negative())),
              null);
      case SummaryPoint s ->
          new PointJson(
              start,
              time,
              null,
              null,
              null,
              new PointJson.SummaryJson(
                  s.count(),
                  s.sum(),
                  s.quantiles().stream()
                      .map(q -> new PointJson.QuantileJson(q.quantile(), q.value()))
                      .toList()));
    };
  }

  private static PointJson.BucketsJson buckets(ExponentialHistogramPoint.Buckets buckets) {
    return new PointJson.BucketsJson(buckets.offset(), buckets.counts());
  }

  /** NaN marks "unknown" in the model; JSON says null. */
  private static Double orNull(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
