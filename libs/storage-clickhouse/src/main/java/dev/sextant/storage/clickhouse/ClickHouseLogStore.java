package dev.sextant.storage.clickhouse;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.retention.RetentionSelector;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Log records in {@code logs}, sorted by tenant, service and time. The body's text is kept apart
 * ({@code body_text}, with an n-gram bloom filter for substring search); a body that is not a
 * string is also kept typed ({@code body_value}) so it reads back with its shape.
 */
final class ClickHouseLogStore implements LogStore {

  private static final List<String> COLUMNS =
      List.of(
          "tenant",
          "time",
          "observed_time",
          "severity_number",
          "severity_text",
          "body_text",
          "body_value",
          "service_name",
          "scope_name",
          "trace_id",
          "span_id",
          "resource_attributes",
          "attributes",
          "attribute_types",
          "dropped_attributes_count",
          "filter_attributes",
          "environment",
          "entity_type",
          "entity_name");

  private static final byte[] NONE = new byte[0];

  private final ClickHouseAccess access;
  private final Schema schema;

  ClickHouseLogStore(ClickHouseAccess access, Schema schema) {
    this.access = access;
    this.schema = schema;
  }

  @Override
  public Uni<Void> write(List<LogRecord> records) {
    return Uni.createFrom()
        .item(() -> encode(records))
        .chain(
            rows ->
                rows == null
                    ? access.run("write logs", c -> null)
                    : access.insert("write logs", schema.table(Schema.LOGS), COLUMNS, rows));
  }

  private static RowBinaryOutput encode(List<LogRecord> records) {
    if (records.isEmpty()) {
      return null;
    }
    RowBinaryOutput out = new RowBinaryOutput(256 * records.size());
    for (LogRecord record : records) {
      out.string(record.tenant());
      out.int64(record.timeUnixNanos());
      out.int64(record.observedTimeUnixNanos());
      out.uint8(record.severityNumber());
      out.string(record.severityText());
      out.string(record.bodyText());
      out.bytes(record.body() instanceof String ? NONE : AttributeCodec.value(record.body()));
      out.string(record.serviceName());
      out.string(record.scopeName());
      out.bytes(record.traceId().isEmpty() ? NONE : Ids.bytes(record.traceId()));
      out.bytes(record.spanId().isEmpty() ? NONE : Ids.bytes(record.spanId()));
      out.bytes(AttributeCodec.attributes(record.resourceAttributes()));
      out.bytes(NONE); // the attributes are in attribute_types and filter_attributes (v3)
      out.bytes(AttributeCodec.types(record.attributes()));
      out.int32(record.droppedAttributesCount());
      FilterAttributes.write(
          out, FilterAttributes.of(record.attributes(), record.resourceAttributes()));
      out.string(Selectors.environment(record.resourceAttributes()));
      out.string(Selectors.text(record.attributes(), RetentionSelector.ENTITY_TYPE));
      out.string(Selectors.text(record.attributes(), RetentionSelector.ENTITY_NAME));
    }
    return out;
  }

  @Override
  public Uni<List<LogRecord>> search(LogQuery query) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("tenant", query.tenant());
    parameters.put("from", query.range().startUnixNanos());
    parameters.put("to", query.range().endUnixNanos());
    parameters.put("limit", query.limit());
    StringBuilder sql =
        new StringBuilder(
            "SELECT tenant, toUnixTimestamp64Nano(time), toUnixTimestamp64Nano(observed_time),"
                + " severity_number, severity_text, body_text, body_value, service_name,"
                + " scope_name, trace_id, span_id, resource_attributes, attributes,"
                + " attribute_types, filter_attributes, dropped_attributes_count FROM "
                + schema.table(Schema.LOGS)
                + " WHERE tenant = {tenant:String}"
                + " AND time >= fromUnixTimestamp64Nano({from:Int64})"
                + " AND time < fromUnixTimestamp64Nano({to:Int64})");
    if (query.minSeverityNumber() != null) {
      parameters.put("severity", query.minSeverityNumber());
      sql.append(" AND severity_number >= {severity:Int32}");
    }
    if (query.traceId() != null) {
      parameters.put("trace", query.traceId());
      sql.append(" AND trace_id = unhex({trace:String})");
    }
    if (query.serviceName() != null) {
      parameters.put("service", query.serviceName());
      sql.append(" AND service_name = {service:String}");
    }
    if (query.bodyContains() != null) {
      // LIKE is case-sensitive and can use the n-gram index; the text's own % _ \ are escaped,
      // so they match literally. The pattern is a parameter, never query text.
      parameters.put("body", "%" + escapeLike(query.bodyContains()) + "%");
      sql.append(" AND body_text LIKE {body:String}");
    }
    sql.append(FilterAttributes.condition(query.attributes(), parameters));
    sql.append(" ORDER BY time DESC LIMIT {limit:UInt32}");
    return access.query(
        "search logs",
        sql.toString(),
        parameters,
        in -> {
          List<LogRecord> found = new ArrayList<>();
          while (in.hasMore()) {
            found.add(readRecord(in));
          }
          return found;
        });
  }

  static String escapeLike(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' || c == '_' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private static LogRecord readRecord(RowBinaryInput in) {
    String tenant = in.string();
    long time = in.int64();
    long observed = in.int64();
    int severity = in.uint8();
    String severityText = in.string();
    String bodyText = in.string();
    byte[] bodyValue = in.bytes();
    Object body = bodyValue.length == 0 ? bodyText : AttributeCodec.readValue(bodyValue);
    String service = in.string();
    String scope = in.string();
    String traceId = Ids.hex(in.bytes());
    String spanId = Ids.hex(in.bytes());
    return new LogRecord(
        tenant,
        time,
        observed,
        severity,
        severityText,
        body,
        service,
        scope,
        traceId,
        spanId,
        AttributeCodec.readAttributes(in.bytes()),
        AttributeCodec.readAttributes(in.bytes(), in.bytes(), FilterAttributes.read(in)),
        in.int32());
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    String before = " WHERE time < fromUnixTimestamp64Nano({cutoff:Int64})";
    return access.countThenDelete(
        "delete old logs",
        "SELECT count() FROM " + schema.table(Schema.LOGS) + before,
        List.of("DELETE FROM " + schema.local(Schema.LOGS) + schema.onCluster() + before),
        Map.of("cutoff", cutoffUnixNanos),
        () -> {});
  }
}
