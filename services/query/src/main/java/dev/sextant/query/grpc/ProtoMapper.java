package dev.sextant.query.grpc;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanLink;
import dev.sextant.model.SummaryPoint;
import dev.sextant.protocol.metrics.v1.ExponentialHistogram;
import dev.sextant.protocol.metrics.v1.Summary;
import dev.sextant.protocol.query.v1.Histogram;
import dev.sextant.protocol.query.v1.Point;
import dev.sextant.protocol.query.v1.Series;
import dev.sextant.protocol.query.v1.Span;
import dev.sextant.protocol.query.v1.TraceSummary;
import java.util.Arrays;

/** The model as the gRPC QueryService's messages. */
final class ProtoMapper {
  private ProtoMapper() {}

  static Span span(dev.sextant.model.Span s) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(s.traceId())
            .setSpanId(s.spanId())
            .setParentSpanId(s.parentSpanId())
            .setName(s.name())
            .setKind(s.kind().name())
            .setStartTimeUnixNano(s.startTimeUnixNanos())
            .setEndTimeUnixNano(s.endTimeUnixNanos())
            .setStatusCode(s.statusCode().name())
            .setStatusMessage(s.statusMessage())
            .setServiceName(s.serviceName())
            .setScopeName(s.scopeName())
            .setScopeVersion(s.scopeVersion())
            .addAllResourceAttributes(AnyValues.keyValues(s.resourceAttributes()))
            .addAllAttributes(AnyValues.keyValues(s.attributes()))
            .setDroppedAttributesCount(s.droppedAttributesCount());
    for (SpanEvent e : s.events()) {
      b.addEvents(
          dev.sextant.protocol.query.v1.SpanEvent.newBuilder()
              .setName(e.name())
              .setTimeUnixNano(e.timeUnixNanos())
              .addAllAttributes(AnyValues.keyValues(e.attributes())));
    }
    for (SpanLink l : s.links()) {
      b.addLinks(
          dev.sextant.protocol.query.v1.SpanLink.newBuilder()
              .setTraceId(l.traceId())
              .setSpanId(l.spanId())
              .addAllAttributes(AnyValues.keyValues(l.attributes())));
    }
    return b.build();
  }

  static TraceSummary summary(dev.sextant.storage.query.TraceSummary t) {
    return TraceSummary.newBuilder()
        .setTraceId(t.traceId())
        .setRootServiceName(t.rootServiceName())
        .setRootSpanName(t.rootSpanName())
        .setStartTimeUnixNano(t.startTimeUnixNanos())
        .setDurationNanos(t.durationNanos())
        .setSpanCount(t.spanCount())
        .setErrorCount(t.errorCount())
        .build();
  }

  static dev.sextant.protocol.query.v1.LogRecord log(LogRecord r) {
    return dev.sextant.protocol.query.v1.LogRecord.newBuilder()
        .setTimeUnixNano(r.timeUnixNanos())
        .setObservedTimeUnixNano(r.observedTimeUnixNanos())
        .setSeverityNumber(r.severityNumber())
        .setSeverityText(r.severityText())
        .setBody(AnyValues.of(r.body()))
        .setServiceName(r.serviceName())
        .setScopeName(r.scopeName())
        .setTraceId(r.traceId())
        .setSpanId(r.spanId())
        .addAllResourceAttributes(AnyValues.keyValues(r.resourceAttributes()))
        .addAllAttributes(AnyValues.keyValues(r.attributes()))
        .setDroppedAttributesCount(r.droppedAttributesCount())
        .build();
  }

  static Series series(MetricSeries s) {
    return Series.newBuilder()
        .setId(s.id())
        .setName(s.name())
        .putAllLabels(s.labels().asMap())
        .setType(s.type().name())
        .setTemporality(s.temporality().name())
        .setUnit(s.unit())
        .setDescription(s.description())
        .build();
  }

  private static ExponentialHistogram.Buckets buckets(ExponentialHistogramPoint.Buckets buckets) {
    return ExponentialHistogram.Buckets.newBuilder()
        .setOffset(buckets.offset())
        .addAllBucketCounts(Arrays.stream(buckets.counts()).boxed().toList())
        .build();
  }

  static Point point(MetricPoint point) {
    Point.Builder b =
        Point.newBuilder()
            .setStartTimeUnixNano(point.startTimeUnixNanos())
            .setTimeUnixNano(point.timeUnixNanos());
    switch (point) {
      case NumberPoint n -> b.setNumber(n.value());
      case HistogramPoint h ->
          b.setHistogram(
              Histogram.newBuilder()
                  .setCount(h.count())
                  .setSum(h.sum())
                  .setMin(h.min())
                  .setMax(h.max())
                  .addAllBounds(Arrays.stream(h.bounds()).boxed().toList())
                  .addAllBucketCounts(Arrays.stream(h.bucketCounts()).boxed().toList()));
      case ExponentialHistogramPoint e ->
          b.setExponentialHistogram(
              ExponentialHistogram.newBuilder()
                  .setCount(e.count())
                  .setSum(e.sum())
                  .setMin(e.min())
                  .setMax(e.max())
                  .setScale(e.scale())
                  .setZeroCount(e.zeroCount())
                  .setZeroThreshold(e.zeroThreshold())
                  .setPositive(buckets(e.positive()))
                  .setNegative(buckets(e.negative())));
      case SummaryPoint s -> {
        Summary.Builder summary = Summary.newBuilder().setCount(s.count()).setSum(s.sum());
        for (SummaryPoint.Quantile q : s.quantiles()) {
          summary.addQuantiles(
              Summary.Quantile.newBuilder().setQuantile(q.quantile()).setValue(q.value()));
        }
        b.setSummary(summary);
      }
    }
    return b.build();
  }
}
