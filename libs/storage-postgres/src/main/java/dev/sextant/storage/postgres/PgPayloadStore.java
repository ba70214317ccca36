package dev.sextant.storage.postgres;

import dev.sextant.model.SpanPayload;
import dev.sextant.model.TraceIds;
import dev.sextant.storage.PayloadStore;
import dev.sextant.storage.json.NulEscape;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Span inputs and outputs in the daily-partitioned {@code span_payloads} table, a batch per
 * statement ({@code unnest} of array parameters). A payload with another start time than the stored
 * one moves (the start is in the key, as the table is partitioned by it); an empty payload never
 * replaces a stored one.
 */
final class PgPayloadStore implements PayloadStore {
  private static final String WRITE =
      "WITH input AS (SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::int8[],"
          + " $5::text[], $6::text[], $7::bool[]) AS u(tenant, trace_id, span_id, start_time,"
          + " input, output, truncated)), moved AS (DELETE FROM span_payloads p USING input i"
          + " WHERE p.tenant = i.tenant AND p.trace_id = i.trace_id AND p.span_id = i.span_id"
          + " AND p.start_time <> i.start_time AND (i.input <> '' OR i.output <> ''))"
          + " INSERT INTO span_payloads AS p (tenant, trace_id, span_id, start_time, input, output,"
          + " truncated) SELECT * FROM input i WHERE i.input <> '' OR i.output <> ''"
          + " OR NOT EXISTS (SELECT 1 FROM span_payloads q WHERE q.tenant = i.tenant"
          + " AND q.trace_id = i.trace_id AND q.span_id = i.span_id)"
          + " ON CONFLICT (tenant, trace_id, span_id, start_time) DO UPDATE SET"
          + " input = excluded.input, output = excluded.output, truncated = excluded.truncated"
          + " WHERE excluded.input <> '' OR excluded.output <> ''";
  private static final String TRACE =
      "SELECT tenant, trace_id, span_id, start_time, input, output, truncated FROM span_payloads"
          + " WHERE tenant = $1 AND trace_id = $2";

  private final PgClient client;
  private final TableRetention retention;

  PgPayloadStore(PgClient client, String schema, int deleteBatchRows) {
    this.client = client;
    this.retention = new TableRetention(client, schema, "span_payloads", deleteBatchRows);
  }

  @Override
  public Uni<Void> write(List<SpanPayload> payloads) {
    if (payloads.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = payloads.size();
    String[] tenants = new String[n];
    Buffer[] traceIds = new Buffer[n];
    Buffer[] spanIds = new Buffer[n];
    Long[] starts = new Long[n];
    String[] inputs = new String[n];
    String[] outputs = new String[n];
    Boolean[] truncated = new Boolean[n];
    for (int i = 0; i < n; i++) {
      SpanPayload p = payloads.get(i);
      tenants[i] = NulEscape.escape(p.tenant());
      traceIds[i] = Ids.traceId(p.traceId());
      spanIds[i] = Ids.spanId(p.spanId());
      starts[i] = p.startTimeUnixNanos();
      inputs[i] = NulEscape.escape(p.input());
      outputs[i] = NulEscape.escape(p.output());
      truncated[i] = p.truncated();
    }
    Tuple parameters =
        Tuple.from(new Object[] {tenants, traceIds, spanIds, starts, inputs, outputs, truncated});
    return client.query("writing span payloads", WRITE, parameters).replaceWithVoid();
  }

  @Override
  public Uni<List<SpanPayload>> trace(String tenant, String traceId) {
    if (!TraceIds.isTraceId(traceId)) {
      return Uni.createFrom().item(List.of());
    }
    return client
        .query(
            "reading span payloads",
            TRACE,
            Tuple.of(NulEscape.escape(tenant), Ids.traceId(traceId)))
        .map(
            rows -> {
              List<SpanPayload> found = new ArrayList<>();
              for (Row row : rows) {
                found.add(
                    new SpanPayload(
                        NulEscape.unescape(row.getString(0)),
                        Ids.hex(row.getBuffer(1)),
                        Ids.hex(row.getBuffer(2)),
                        row.getLong(3),
                        NulEscape.unescape(row.getString(4)),
                        NulEscape.unescape(row.getString(5)),
                        row.getBoolean(6)));
              }
              return found;
            });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return retention.deleteOlderThan(cutoffUnixNanos);
  }
}
