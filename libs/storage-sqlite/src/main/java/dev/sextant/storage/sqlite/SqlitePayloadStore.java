package dev.sextant.storage.sqlite;

import dev.sextant.model.SpanPayload;
import dev.sextant.storage.PayloadStore;
import io.smallrye.mutiny.Uni;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Span payloads in {@code spans.db}'s own table, written by the spans writer. */
final class SqlitePayloadStore implements PayloadStore {
  private static final String INSERT =
      "INSERT INTO span_payloads (tenant, trace_id, span_id, start_time, input, output, truncated)"
          + " VALUES (?,?,?,?,?,?,?) ON CONFLICT (tenant, trace_id, span_id) DO UPDATE SET"
          + " start_time = excluded.start_time, input = excluded.input,"
          + " output = excluded.output, truncated = excluded.truncated"
          // An empty payload (a span's start record) never replaces a stored one.
          + " WHERE excluded.input <> '' OR excluded.output <> ''";
  private static final String TRACE =
      "SELECT tenant, trace_id, span_id, start_time, input, output, truncated FROM span_payloads"
          + " WHERE tenant = ? AND trace_id = ?";

  private final DatabaseAccess database;
  private final int deleteBatchRows;

  SqlitePayloadStore(DatabaseAccess database, int deleteBatchRows) {
    this.database = database;
    this.deleteBatchRows = deleteBatchRows;
  }

  @Override
  public Uni<Void> write(List<SpanPayload> payloads) {
    return database.write(() -> new InsertPayloads(List.copyOf(payloads)));
  }

  private record InsertPayloads(List<SpanPayload> batch) implements WriteTask<Void> {
    @Override
    public int rows() {
      return batch.size();
    }

    @Override
    public Void apply(StatementCache statements) throws SQLException {
      if (batch.isEmpty()) {
        return null;
      }
      PreparedStatement insert = statements.prepare(INSERT);
      for (SpanPayload payload : batch) {
        insert.setString(1, payload.tenant());
        insert.setBytes(2, SqliteIds.traceId(payload.traceId()));
        insert.setLong(3, SqliteIds.spanId(payload.spanId()));
        insert.setLong(4, payload.startTimeUnixNanos());
        insert.setString(5, payload.input());
        insert.setString(6, payload.output());
        insert.setInt(7, payload.truncated() ? 1 : 0);
        insert.addBatch();
      }
      insert.executeBatch();
      return null;
    }
  }

  @Override
  public Uni<List<SpanPayload>> trace(String tenant, String traceId) {
    if (!SqliteIds.isTraceId(traceId)) {
      return Uni.createFrom().item(List.of());
    }
    return database.read(
        statements -> {
          PreparedStatement select = statements.prepare(TRACE);
          select.setString(1, tenant);
          select.setBytes(2, SqliteIds.traceId(traceId));
          List<SpanPayload> found = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              found.add(
                  new SpanPayload(
                      rows.getString(1),
                      SqliteIds.traceId(rows.getBytes(2)),
                      SqliteIds.spanId(rows.getLong(3)),
                      rows.getLong(4),
                      rows.getString(5),
                      rows.getString(6),
                      rows.getInt(7) == 1));
            }
          }
          return found;
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return database.run(
        db ->
            Retention.deleteRowsOlderThan(
                db, "span_payloads", "start_time", cutoffUnixNanos, deleteBatchRows));
  }
}
