package dev.sextant.storage.testkit;

import dev.sextant.model.Span;
import dev.sextant.model.SpanEvent;
import dev.sextant.model.SpanKind;
import dev.sextant.model.SpanLink;
import dev.sextant.model.StatusCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds test spans with plain defaults, so a test names only what it is about. */
public final class SpanBuilder {
  private final String tenant;
  private final String traceId;
  private final String spanId;
  private String parentSpanId = "";
  private String name = "operation";
  private SpanKind kind = SpanKind.INTERNAL;
  private long start = Fixtures.T0;
  private long duration = Fixtures.millis(1);
  private StatusCode status = StatusCode.UNSET;
  private String statusMessage = "";
  private String service = "service";
  private String scopeName = "";
  private String scopeVersion = "";
  private final Map<String, Object> resource = new LinkedHashMap<>();
  private final Map<String, Object> attributes = new LinkedHashMap<>();
  private final List<SpanEvent> events = new ArrayList<>();
  private final List<SpanLink> links = new ArrayList<>();
  private int droppedAttributesCount;

  private SpanBuilder(String tenant, String traceId, String spanId) {
    this.tenant = tenant;
    this.traceId = traceId;
    this.spanId = spanId;
  }

  public static SpanBuilder span(String tenant, String traceId, String spanId) {
    return new SpanBuilder(tenant, traceId, spanId);
  }

  /** A span of {@link Fixtures#TENANT}. */
  public static SpanBuilder span(String traceId, String spanId) {
    return new SpanBuilder(Fixtures.TENANT, traceId, spanId);
  }

  public SpanBuilder parent(String parentSpanId) {
    this.parentSpanId = parentSpanId;
    return this;
  }

  public SpanBuilder name(String name) {
    this.name = name;
    return this;
  }

  public SpanBuilder kind(SpanKind kind) {
    this.kind = kind;
    return this;
  }

  public SpanBuilder start(long startUnixNanos) {
    this.start = startUnixNanos;
    return this;
  }

  public SpanBuilder duration(long durationNanos) {
    this.duration = durationNanos;
    return this;
  }

  public SpanBuilder status(StatusCode status) {
    this.status = status;
    return this;
  }

  public SpanBuilder status(StatusCode status, String message) {
    this.status = status;
    this.statusMessage = message;
    return this;
  }

  public SpanBuilder service(String service) {
    this.service = service;
    return this;
  }

  public SpanBuilder scope(String name, String version) {
    this.scopeName = name;
    this.scopeVersion = version;
    return this;
  }

  public SpanBuilder resource(String key, Object value) {
    resource.put(key, value);
    return this;
  }

  public SpanBuilder resource(Map<String, Object> values) {
    resource.putAll(values);
    return this;
  }

  public SpanBuilder attribute(String key, Object value) {
    attributes.put(key, value);
    return this;
  }

  public SpanBuilder attributes(Map<String, Object> values) {
    attributes.putAll(values);
    return this;
  }

  public SpanBuilder event(SpanEvent event) {
    events.add(event);
    return this;
  }

  public SpanBuilder link(SpanLink link) {
    links.add(link);
    return this;
  }

  public SpanBuilder droppedAttributesCount(int count) {
    this.droppedAttributesCount = count;
    return this;
  }

  public Span build() {
    return new Span(
        tenant,
        traceId,
        spanId,
        parentSpanId,
        name,
        kind,
        start,
        start + duration,
        status,
        statusMessage,
        service,
        scopeName,
        scopeVersion,
        resource,
        attributes,
        events,
        links,
        droppedAttributesCount);
  }
}
