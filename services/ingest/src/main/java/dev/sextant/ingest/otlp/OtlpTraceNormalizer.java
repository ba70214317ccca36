package dev.sextant.ingest.otlp;

import dev.sextant.model.Span;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanKind;
import dev.sextant.model.SpanLink;
import dev.sextant.model.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP spans into model spans. A span with bad ids or times is rejected on its own; limits cut
 * attributes, events and links of the others.
 */
public final class OtlpTraceNormalizer {
  private final LimitSettings limits;
  private final Duration maxSkew;

  public OtlpTraceNormalizer(LimitSettings limits, Duration maxSkew) {
    this.limits = limits;
    this.maxSkew = maxSkew;
  }

  /** Number of spans in a request, for admission before any work is done. */
  public static int count(ExportTraceServiceRequest request) {
    int count = 0;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        count += scopeSpans.getSpansCount();
      }
    }
    return count;
  }

  public Normalized<Span> normalize(
      String tenant, ExportTraceServiceRequest request, long nowUnixNanos) {
    Rejections rejections = new Rejections();
    Truncations truncations = new Truncations();
    AttributeReader reader = new AttributeReader(limits, truncations);
    TimeWindow window = TimeWindow.of(nowUnixNanos, maxSkew);
    List<Span> spans = new ArrayList<>();
    int received = 0;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      ResourceInfo resource = ResourceInfo.read(resourceSpans.getResource(), reader);
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
          received++;
          Problem problem = check(span, window);
          if (problem != null) {
            rejections.reject(problem.reason(), problem.detail());
          } else {
            spans.add(toSpan(tenant, resource, scopeSpans.getScope(), span, reader, window));
          }
        }
      }
    }
    return new Normalized<>(spans, received, rejections, truncations);
  }

  private static Problem check(io.opentelemetry.proto.trace.v1.Span span, TimeWindow window) {
    Problem problem =
        Ids.checkRequired(
            span.getTraceId(), Ids.TRACE_ID_BYTES, RejectReason.INVALID_TRACE_ID, "trace id");
    if (problem == null) {
      problem =
          Ids.checkRequired(
              span.getSpanId(), Ids.SPAN_ID_BYTES, RejectReason.INVALID_SPAN_ID, "span id");
    }
    if (problem == null) {
      problem =
          Ids.checkOptional(
              span.getParentSpanId(),
              Ids.SPAN_ID_BYTES,
              RejectReason.INVALID_PARENT_SPAN_ID,
              "parent span id");
    }
    if (problem == null) {
      problem =
          window.checkInterval(
              span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), "start time", "end time");
    }
    return problem;
  }

  private Span toSpan(
      String tenant,
      ResourceInfo resource,
      InstrumentationScope scope,
      io.opentelemetry.proto.trace.v1.Span span,
      AttributeReader reader,
      TimeWindow window) {
    RecordBudget budget = reader.newRecord();
    ConvertedAttributes attributes = reader.read(span.getAttributesList(), budget);
    return new Span(
        tenant,
        Ids.hex(span.getTraceId()),
        Ids.hex(span.getSpanId()),
        Ids.optionalHex(span.getParentSpanId()),
        reader.name(span.getName()),
        kind(span.getKindValue()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        status(span.getStatus().getCodeValue()),
        reader.name(span.getStatus().getMessage()),
        resource.serviceName(),
        scope.getName(),
        scope.getVersion(),
        resource.attributes(),
        attributes.values(),
        events(span, reader, budget, window),
        links(span, reader, budget),
        Counts.addUnsigned(span.getDroppedAttributesCount(), attributes.dropped()));
  }

  private List<SpanEvent> events(
      io.opentelemetry.proto.trace.v1.Span span,
      AttributeReader reader,
      RecordBudget budget,
      TimeWindow window) {
    List<SpanEvent> events = new ArrayList<>(Math.min(span.getEventsCount(), limits.maxEvents()));
    for (io.opentelemetry.proto.trace.v1.Span.Event event : span.getEventsList()) {
      if (events.size() >= limits.maxEvents()) {
        reader.truncations().add(TruncationReason.EVENT_COUNT);
      } else if (window.checkOptional(event.getTimeUnixNano(), "event time") != null) {
        reader.truncations().add(TruncationReason.INVALID_EVENT);
      } else {
        events.add(
            new SpanEvent(
                reader.name(event.getName()),
                event.getTimeUnixNano(),
                reader.read(event.getAttributesList(), budget).values()));
      }
    }
    return events;
  }

  private List<SpanLink> links(
      io.opentelemetry.proto.trace.v1.Span span, AttributeReader reader, RecordBudget budget) {
    List<SpanLink> links = new ArrayList<>(Math.min(span.getLinksCount(), limits.maxLinks()));
    for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
      if (links.size() >= limits.maxLinks()) {
        reader.truncations().add(TruncationReason.LINK_COUNT);
      } else if (!Ids.isValid(link.getTraceId(), Ids.TRACE_ID_BYTES)
          || !Ids.isValid(link.getSpanId(), Ids.SPAN_ID_BYTES)) {
        reader.truncations().add(TruncationReason.INVALID_LINK);
      } else {
        links.add(
            new SpanLink(
                Ids.hex(link.getTraceId()),
                Ids.hex(link.getSpanId()),
                reader.read(link.getAttributesList(), budget).values()));
      }
    }
    return links;
  }

  private static SpanKind kind(int otlpKind) {
    // The OTLP enum numbers: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
    return switch (otlpKind) {
      case 1 -> SpanKind.INTERNAL;
      case 2 -> SpanKind.SERVER;
      case 3 -> SpanKind.CLIENT;
      case 4 -> SpanKind.PRODUCER;
      case 5 -> SpanKind.CONSUMER;
      default -> SpanKind.UNSPECIFIED;
    };
  }

  private static StatusCode status(int otlpCode) {
    return switch (otlpCode) {
      case 1 -> StatusCode.OK;
      case 2 -> StatusCode.ERROR;
      default -> StatusCode.UNSET;
    };
  }
}
