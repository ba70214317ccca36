package dev.sextant.ingest.otlp;

import dev.sextant.model.LogRecord;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OTLP log records into model records. The time is optional in OTLP: a record without one takes its
 * observed time, and a record without an observed time takes the time it was received.
 */
public final class OtlpLogNormalizer {
  /** Where OTLP's {@code event_name} goes: the model has no field of its own for it. */
  static final String EVENT_NAME_ATTRIBUTE = "event.name";

  private static final int MAX_SEVERITY = 24;

  private final LimitSettings limits;
  private final Duration maxSkew;

  public OtlpLogNormalizer(LimitSettings limits, Duration maxSkew) {
    this.limits = limits;
    this.maxSkew = maxSkew;
  }

  /** Number of log records in a request, for admission before any work is done. */
  public static int count(ExportLogsServiceRequest request) {
    int count = 0;
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        count += scopeLogs.getLogRecordsCount();
      }
    }
    return count;
  }

  public Normalized<LogRecord> normalize(
      String tenant, ExportLogsServiceRequest request, long nowUnixNanos) {
    Rejections rejections = new Rejections();
    Truncations truncations = new Truncations();
    AttributeReader reader = new AttributeReader(limits, truncations);
    TimeWindow window = TimeWindow.of(nowUnixNanos, maxSkew);
    List<LogRecord> records = new ArrayList<>();
    int received = 0;
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      ResourceInfo resource = ResourceInfo.read(resourceLogs.getResource(), reader);
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        String scopeName = scopeLogs.getScope().getName();
        for (io.opentelemetry.proto.logs.v1.LogRecord log : scopeLogs.getLogRecordsList()) {
          received++;
          Problem problem = check(log, window);
          if (problem != null) {
            rejections.reject(problem.reason(), problem.detail());
          } else {
            records.add(toRecord(tenant, resource, scopeName, log, reader, window.now()));
          }
        }
      }
    }
    return new Normalized<>(records, received, rejections, truncations);
  }

  private static Problem check(io.opentelemetry.proto.logs.v1.LogRecord log, TimeWindow window) {
    Problem problem = window.checkOptional(log.getTimeUnixNano(), "time");
    if (problem == null) {
      problem = window.checkOptional(log.getObservedTimeUnixNano(), "observed time");
    }
    if (problem == null) {
      problem =
          Ids.checkOptional(
              log.getTraceId(), Ids.TRACE_ID_BYTES, RejectReason.INVALID_TRACE_ID, "trace id");
    }
    if (problem == null) {
      problem =
          Ids.checkOptional(
              log.getSpanId(), Ids.SPAN_ID_BYTES, RejectReason.INVALID_SPAN_ID, "span id");
    }
    if (problem == null
        && (log.getSeverityNumberValue() < 0 || log.getSeverityNumberValue() > MAX_SEVERITY)) {
      problem =
          new Problem(
              RejectReason.INVALID_SEVERITY,
              "severity number " + log.getSeverityNumberValue() + " is not within 0..24");
    }
    return problem;
  }

  private static LogRecord toRecord(
      String tenant,
      ResourceInfo resource,
      String scopeName,
      io.opentelemetry.proto.logs.v1.LogRecord log,
      AttributeReader reader,
      long nowUnixNanos) {
    long observed =
        log.getObservedTimeUnixNano() != 0 ? log.getObservedTimeUnixNano() : nowUnixNanos;
    long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : observed;
    ConvertedAttributes attributes = reader.read(log.getAttributesList(), reader.newRecord());
    Map<String, Object> values = attributes.values();
    if (!log.getEventName().isEmpty() && !values.containsKey(EVENT_NAME_ATTRIBUTE)) {
      values = new java.util.LinkedHashMap<>(values);
      values.put(EVENT_NAME_ATTRIBUTE, reader.name(log.getEventName()));
    }
    Object body = reader.body(log.getBody());
    return new LogRecord(
        tenant,
        time,
        observed,
        log.getSeverityNumberValue(),
        reader.name(log.getSeverityText()),
        body,
        resource.serviceName(),
        scopeName,
        Ids.optionalHex(log.getTraceId()),
        Ids.optionalHex(log.getSpanId()),
        resource.attributes(),
        values,
        Counts.addUnsigned(log.getDroppedAttributesCount(), attributes.dropped()));
  }
}
