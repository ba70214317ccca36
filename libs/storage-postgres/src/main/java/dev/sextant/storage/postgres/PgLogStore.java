package dev.sextant.storage.postgres;

import dev.sextant.model.LogRecord;
import dev.sextant.storage.LogStore;
import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.query.LogQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log records in the daily-partitioned {@code logs} table, a batch per statement ({@code unnest} of
 * column arrays). Search is newest first (time, then write order) over the tenant's time index,
 * with every criterion a parameter; the body substring is {@code strpos} on the escaped body text
 * (case-sensitive, no pattern characters), rechecked in Java for the rare needle the escape could
 * match falsely.
 */
final class PgLogStore implements LogStore {
  private static final String WRITE =
      "INSERT INTO logs (tenant, time, observed_time, severity_number, severity_text, body_text,"
          + " body, service_name, scope_name, trace_id, span_id, attributes, attribute_order,"
          + " resource, resource_order, dropped_attributes)"
          + " SELECT tenant, time, observed_time, severity_number, severity_text, body_text,"
          + " body::json, service_name, scope_name, trace_id, span_id, attributes::jsonb,"
          + " attribute_order::jsonb, resource::jsonb, resource_order::jsonb, dropped_attributes"
          + " FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int2[], $5::text[], $6::text[],"
          + " $7::text[], $8::text[], $9::text[], $10::bytea[], $11::bytea[], $12::text[],"
          + " $13::text[], $14::text[], $15::text[], $16::int4[]) AS u(tenant, time, observed_time,"
          + " severity_number, severity_text, body_text, body, service_name, scope_name, trace_id,"
          + " span_id, attributes, attribute_order, resource, resource_order, dropped_attributes)";

  private static final String COLUMNS =
      "tenant, time, observed_time, severity_number, severity_text, body_text, body::text,"
          + " service_name, scope_name, trace_id, span_id, attributes::text, attribute_order::text,"
          + " resource::text, resource_order::text, dropped_attributes, seq";

  private final PgClient client;
  private final TableRetention retention;

  PgLogStore(PgClient client, String schema, int deleteBatchRows) {
    this.client = client;
    this.retention = new TableRetention(client, schema, "logs", deleteBatchRows);
  }

  @Override
  public Uni<Void> write(List<LogRecord> records) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (records.isEmpty()) {
                return client.call("writing logs", pool -> Future.succeededFuture());
              }
              return client.query("writing logs", WRITE, encode(records)).replaceWithVoid();
            });
  }

  private static io.vertx.sqlclient.Tuple encode(List<LogRecord> records) {
    int n = records.size();
    String[] tenants = new String[n];
    Long[] times = new Long[n];
    Long[] observed = new Long[n];
    Short[] severities = new Short[n];
    String[] severityTexts = new String[n];
    String[] bodyTexts = new String[n];
    String[] bodies = new String[n];
    String[] services = new String[n];
    String[] scopes = new String[n];
    Buffer[] traceIds = new Buffer[n];
    Buffer[] spanIds = new Buffer[n];
    String[] attributes = new String[n];
    String[] attributeOrders = new String[n];
    String[] resources = new String[n];
    String[] resourceOrders = new String[n];
    Integer[] dropped = new Integer[n];
    Map<Map<String, Object>, String[]> resourceJson = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      LogRecord r = records.get(i);
      tenants[i] = NulEscape.escape(r.tenant());
      times[i] = r.timeUnixNanos();
      observed[i] = r.observedTimeUnixNanos();
      severities[i] = (short) r.severityNumber();
      severityTexts[i] = NulEscape.escape(r.severityText());
      bodyTexts[i] = NulEscape.escape(r.bodyText());
      bodies[i] = r.body() instanceof String ? null : PgJson.JSON.value(r.body());
      services[i] = NulEscape.escape(r.serviceName());
      scopes[i] = NulEscape.escape(r.scopeName());
      traceIds[i] = Ids.optional(r.traceId());
      spanIds[i] = Ids.optional(r.spanId());
      attributes[i] = PgJson.JSON.attributes(r.attributes());
      attributeOrders[i] = PgJson.keyOrder(r.attributes());
      String[] resource =
          resourceJson.computeIfAbsent(
              r.resourceAttributes(),
              m -> new String[] {PgJson.JSON.attributes(m), PgJson.keyOrder(m)});
      resources[i] = resource[0];
      resourceOrders[i] = resource[1];
      dropped[i] = r.droppedAttributesCount();
    }
    return io.vertx.sqlclient.Tuple.from(
        new Object[] {
          tenants,
          times,
          observed,
          severities,
          severityTexts,
          bodyTexts,
          bodies,
          services,
          scopes,
          traceIds,
          spanIds,
          attributes,
          attributeOrders,
          resources,
          resourceOrders,
          dropped
        });
  }

  @Override
  public Uni<List<LogRecord>> search(LogQuery query) {
    return client.call(
        "searching logs",
        pool -> {
          List<LogRecord> found = new ArrayList<>();
          return page(pool, query, found, null).map(done -> List.copyOf(found));
        });
  }

  /**
   * One page of matching records after the cursor (time, seq), newest first. Without a body recheck
   * the first page is the answer; with one, pages continue until the limit is reached.
   */
  private Future<Void> page(Pool pool, LogQuery query, List<LogRecord> found, long[] cursor) {
    boolean recheck = query.bodyContains() != null && NulEscape.needsRecheck(query.bodyContains());
    Sql sql = new Sql();
    sql.append("SELECT ")
        .append(COLUMNS)
        .append(" FROM logs WHERE tenant = ")
        .append(sql.param(NulEscape.escape(query.tenant())))
        .append(" AND time >= ")
        .append(sql.param(query.range().startUnixNanos()))
        .append(" AND time < ")
        .append(sql.param(query.range().endUnixNanos()));
    if (query.minSeverityNumber() != null) {
      sql.append(" AND severity_number >= ")
          .append(
              sql.param(
                  (short)
                      Math.max(
                          Short.MIN_VALUE, Math.min(Short.MAX_VALUE, query.minSeverityNumber()))));
    }
    if (query.traceId() != null) {
      if (!dev.sextant.model.TraceIds.isTraceId(query.traceId())) {
        return Future.succeededFuture();
      }
      sql.append(" AND trace_id = ").append(sql.param(Ids.traceId(query.traceId())));
    }
    if (query.serviceName() != null) {
      sql.append(" AND service_name = ").append(sql.param(NulEscape.escape(query.serviceName())));
    }
    if (query.bodyContains() != null) {
      sql.append(" AND strpos(body_text, ")
          .append(sql.param(NulEscape.escape(query.bodyContains())))
          .append(") > 0");
    }
    AttributeFilterSql.append(sql, query.attributes(), "attributes", "resource");
    if (cursor != null) {
      sql.append(" AND (time, seq) < (")
          .append(sql.param(cursor[0]))
          .append(", ")
          .append(sql.param(cursor[1]))
          .append(")");
    }
    int pageSize = query.limit() - found.size();
    sql.append(" ORDER BY time DESC, seq DESC LIMIT ").append(sql.param(pageSize));
    return pool.preparedQuery(sql.text())
        .execute(sql.tuple())
        .compose(
            rows -> {
              long[] last = null;
              for (Row row : rows) {
                LogRecord record = record(row);
                if (!recheck || record.bodyText().contains(query.bodyContains())) {
                  found.add(record);
                }
                last = new long[] {row.getLong(1), row.getLong(16)};
              }
              if (!recheck || rows.rowCount() < pageSize || found.size() >= query.limit()) {
                return Future.succeededFuture();
              }
              return page(pool, query, found, last);
            });
  }

  private static LogRecord record(Row row) {
    String body = row.getString(6);
    return new LogRecord(
        NulEscape.unescape(row.getString(0)),
        row.getLong(1),
        row.getLong(2),
        row.getShort(3),
        NulEscape.unescape(row.getString(4)),
        body == null ? NulEscape.unescape(row.getString(5)) : PgJson.JSON.readValue(body),
        NulEscape.unescape(row.getString(7)),
        NulEscape.unescape(row.getString(8)),
        Ids.optionalHex(row.getBuffer(9)),
        Ids.optionalHex(row.getBuffer(10)),
        PgJson.readAttributes(row.getString(13), row.getString(14)),
        PgJson.readAttributes(row.getString(11), row.getString(12)),
        row.getInteger(15));
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return retention.deleteOlderThan(cutoffUnixNanos);
  }
}
