package dev.sextant.storage.testkit;

import dev.sextant.model.LogRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds test log records with plain defaults, so a test names only what it is about. */
public final class LogBuilder {
  private final String tenant;
  private final long time;
  private long observedTime;
  private int severityNumber = 9;
  private String severityText = "INFO";
  private Object body = "message";
  private String service = "service";
  private String scopeName = "";
  private String traceId = "";
  private String spanId = "";
  private final Map<String, Object> resource = new LinkedHashMap<>();
  private final Map<String, Object> attributes = new LinkedHashMap<>();
  private int droppedAttributesCount;

  private LogBuilder(String tenant, long time) {
    this.tenant = tenant;
    this.time = time;
    this.observedTime = time;
  }

  public static LogBuilder log(String tenant, long timeUnixNanos) {
    return new LogBuilder(tenant, timeUnixNanos);
  }

  /** A record of {@link Fixtures#TENANT}. */
  public static LogBuilder log(long timeUnixNanos) {
    return new LogBuilder(Fixtures.TENANT, timeUnixNanos);
  }

  public LogBuilder observed(long observedUnixNanos) {
    this.observedTime = observedUnixNanos;
    return this;
  }

  public LogBuilder severity(int number, String text) {
    this.severityNumber = number;
    this.severityText = text;
    return this;
  }

  public LogBuilder body(Object body) {
    this.body = body;
    return this;
  }

  public LogBuilder service(String service) {
    this.service = service;
    return this;
  }

  public LogBuilder scope(String scopeName) {
    this.scopeName = scopeName;
    return this;
  }

  public LogBuilder trace(String traceId, String spanId) {
    this.traceId = traceId;
    this.spanId = spanId;
    return this;
  }

  public LogBuilder resource(String key, Object value) {
    resource.put(key, value);
    return this;
  }

  public LogBuilder attribute(String key, Object value) {
    attributes.put(key, value);
    return this;
  }

  public LogBuilder attributes(Map<String, Object> values) {
    attributes.putAll(values);
    return this;
  }

  public LogBuilder droppedAttributesCount(int count) {
    this.droppedAttributesCount = count;
    return this;
  }

  public LogRecord build() {
    return new LogRecord(
        tenant,
        time,
        observedTime,
        severityNumber,
        severityText,
        body,
        service,
        scopeName,
        traceId,
        spanId,
        resource,
        attributes,
        droppedAttributesCount);
  }
}
