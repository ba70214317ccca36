package dev.sextant.storage.clickhouse;

import dev.sextant.model.SpanPayload;
import dev.sextant.storage.PayloadStore;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Span inputs and outputs in {@code span_payloads}, a {@code ReplacingMergeTree} keyed like spans
 * and sharded by trace id. An empty payload is written with version 0, so any stored payload with
 * content outranks it whatever the order (the SPI's rule) without reading before writing; among
 * payloads with content the later write wins.
 */
final class ClickHousePayloadStore implements PayloadStore {
  private static final List<String> COLUMNS =
      List.of(
          "tenant", "trace_id", "span_id", "start_time", "input", "output", "truncated", "version");

  private final ClickHouseAccess access;
  private final Schema schema;
  private final VersionClock versions;

  ClickHousePayloadStore(ClickHouseAccess access, Schema schema, VersionClock versions) {
    this.access = access;
    this.schema = schema;
    this.versions = versions;
  }

  @Override
  public Uni<Void> write(List<SpanPayload> payloads) {
    return Uni.createFrom()
        .item(() -> encode(payloads))
        .chain(
            rows ->
                rows == null
                    ? access.run("write span payloads", c -> null)
                    : access.insert(
                        "write span payloads", schema.table(Schema.SPAN_PAYLOADS), COLUMNS, rows));
  }

  private RowBinaryOutput encode(List<SpanPayload> payloads) {
    if (payloads.isEmpty()) {
      return null;
    }
    Map<String, SpanPayload> last = new LinkedHashMap<>();
    for (SpanPayload p : payloads) {
      last.merge(
          p.tenant() + '\0' + p.traceId() + p.spanId(),
          p,
          (stored, written) -> written.isEmpty() && !stored.isEmpty() ? stored : written);
    }
    long version = versions.next(last.size());
    RowBinaryOutput out = new RowBinaryOutput(256 * last.size());
    for (SpanPayload p : last.values()) {
      out.string(p.tenant());
      out.raw(Ids.bytes(p.traceId()));
      out.raw(Ids.bytes(p.spanId()));
      out.int64(p.startTimeUnixNanos());
      out.string(p.input());
      out.string(p.output());
      out.uint8(p.truncated() ? 1 : 0);
      out.int64(p.isEmpty() ? 0 : version);
      version++;
    }
    return out;
  }

  @Override
  public Uni<List<SpanPayload>> trace(String tenant, String traceId) {
    return access.query(
        "read span payloads",
        "SELECT tenant, trace_id, span_id, toUnixTimestamp64Nano(start_time), input, output,"
            + " truncated FROM "
            + schema.table(Schema.SPAN_PAYLOADS)
            + " FINAL WHERE tenant = {tenant:String} AND trace_id = unhex({trace:String})",
        Map.of("tenant", tenant, "trace", traceId),
        in -> {
          List<SpanPayload> found = new ArrayList<>();
          while (in.hasMore()) {
            found.add(
                new SpanPayload(
                    in.string(),
                    Ids.hex(in.raw(16)),
                    Ids.hex(in.raw(8)),
                    in.int64(),
                    in.string(),
                    in.string(),
                    in.uint8() != 0));
          }
          return found;
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    String before = " WHERE start_time < fromUnixTimestamp64Nano({cutoff:Int64})";
    return access.countThenDelete(
        "delete old span payloads",
        "SELECT count() FROM " + schema.table(Schema.SPAN_PAYLOADS) + " FINAL" + before,
        List.of("DELETE FROM " + schema.local(Schema.SPAN_PAYLOADS) + schema.onCluster() + before),
        Map.of("cutoff", cutoffUnixNanos),
        () -> {});
  }
}
