package dev.sextant.storage.sqlite;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.Correlation;
import dev.sextant.model.MetricEvent;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.json.AttributeJson;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.ValuePercentiles;
import io.smallrye.mutiny.Uni;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;

/**
 * One kind of event in its table of {@code events.db}. Name, time, trace, span and the promoted
 * correlation fields are filtered in SQL; the rest of the query ({@link EventQuery#matches}) on the
 * rows read, until {@code limit} matched. Mastra's OLAP totals and percentiles go over every
 * matching row.
 */
final class SqliteEventStore<E extends CorrelatedEvent> implements EventStore<E> {
  /** Correlation keys copied into columns, by column name. */
  private static final Map<String, String> PROMOTED =
      Map.of(
          Correlation.ENTITY_TYPE, "entity_type",
          Correlation.ENTITY_NAME, "entity_name",
          Correlation.THREAD_ID, "thread_id",
          Correlation.RESOURCE_ID, "resource_id",
          Correlation.ENVIRONMENT, "environment",
          Correlation.SERVICE_NAME, "service_name");

  private static final List<String> PROMOTED_KEYS =
      List.of(
          Correlation.ENTITY_TYPE,
          Correlation.ENTITY_NAME,
          Correlation.THREAD_ID,
          Correlation.RESOURCE_ID,
          Correlation.ENVIRONMENT,
          Correlation.SERVICE_NAME);

  private final DatabaseAccess database;
  private final SqliteEventCodec<E> codec;
  private final int deleteBatchRows;
  private final String insert;
  private final String select;

  SqliteEventStore(DatabaseAccess database, SqliteEventCodec<E> codec, int deleteBatchRows) {
    this.database = database;
    this.codec = codec;
    this.deleteBatchRows = deleteBatchRows;
    this.insert =
        "INSERT OR REPLACE INTO "
            + codec.table
            + " (tenant, id, time, name, trace_id, span_id, entity_type, entity_name, thread_id,"
            + " resource_id, environment, service_name, body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
    this.select =
        "SELECT tenant, id, time, name, trace_id, span_id, body FROM "
            + codec.table
            + " WHERE tenant = ? AND time >= ? AND time < ?";
  }

  private record Row(CorrelatedEvent event, String body) {}

  @Override
  public Uni<Void> write(List<E> events) {
    return database.write(
        () -> {
          List<Row> rows = new ArrayList<>(events.size());
          for (E event : events) {
            rows.add(new Row(event, AttributeJson.STANDARD.attributes(codec.body(event))));
          }
          return new Insert(insert, rows);
        });
  }

  private record Insert(String sql, List<Row> batch) implements WriteTask<Void> {
    @Override
    public int rows() {
      return batch.size();
    }

    @Override
    public Void apply(StatementCache statements) throws SQLException {
      if (batch.isEmpty()) {
        return null;
      }
      PreparedStatement insert = statements.prepare(sql);
      for (Row row : batch) {
        CorrelatedEvent event = row.event();
        insert.setString(1, event.tenant());
        insert.setString(2, event.id());
        insert.setLong(3, event.timeUnixNanos());
        insert.setString(4, event.name());
        insert.setString(5, event.traceId().isEmpty() ? null : event.traceId());
        insert.setString(6, event.spanId().isEmpty() ? null : event.spanId());
        for (int i = 0; i < PROMOTED_KEYS.size(); i++) {
          insert.setString(7 + i, event.correlation().get(PROMOTED_KEYS.get(i)));
        }
        insert.setString(13, row.body());
        insert.addBatch();
      }
      insert.executeBatch();
      return null;
    }
  }

  @Override
  public Uni<List<E>> search(EventQuery query) {
    return database.read(
        statements -> {
          List<E> found = new ArrayList<>();
          scan(
              statements,
              query,
              event -> {
                found.add(event);
                return found.size() < query.limit();
              });
          return found;
        });
  }

  /**
   * Totalled here over every selected event (the file is local: no event leaves the process, and no
   * cap applies), with the reference's own accumulator.
   */
  @Override
  public Uni<List<EventTotals>> totals(EventAggregation aggregation) {
    return database.read(
        statements -> {
          EventTotals.Accumulator totals = new EventTotals.Accumulator(aggregation);
          scan(
              statements,
              aggregation.events(),
              event -> {
                if (event instanceof MetricEvent metric && aggregation.selects(metric)) {
                  totals.add(metric);
                }
                return true;
              });
          return totals.totals();
        });
  }

  /** As {@link #totals}: over every matching event, with the reference's accumulator. */
  @Override
  public Uni<NavigableMap<Long, double[]>> percentiles(
      EventSelection selection, long bucketNanos, double[] percentiles) {
    ValuePercentiles.Accumulator accumulator =
        new ValuePercentiles.Accumulator(bucketNanos, percentiles);
    return database.read(
        statements -> {
          scan(
              statements,
              selection.events(),
              event -> {
                if (event instanceof MetricEvent metric && selection.selects(metric)) {
                  accumulator.add(metric);
                }
                return true;
              });
          return accumulator.percentiles();
        });
  }

  /** Hands the events matching the query to {@code visit}, in order, until it returns false. */
  private void scan(StatementCache statements, EventQuery query, Predicate<E> visit)
      throws SQLException {
    List<Object> parameters = new ArrayList<>();
    PreparedStatement statement = statements.prepare(sql(query, parameters));
    Parameters.bind(statement, parameters);
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        E event =
            codec.read(
                rows.getString(1),
                rows.getString(2),
                rows.getLong(3),
                rows.getString(4),
                rows.getString(5),
                rows.getString(6),
                AttributeJson.STANDARD.readAttributes(rows.getString(7)));
        if (query.matches(event) && !visit.test(event)) {
          return;
        }
      }
    }
  }

  private String sql(EventQuery query, List<Object> parameters) {
    StringBuilder sql = new StringBuilder(select);
    parameters.add(query.tenant());
    parameters.add(query.range().startUnixNanos());
    parameters.add(query.range().endUnixNanos());
    in(sql, parameters, "name", query.names().stream().sorted().toList());
    in(sql, parameters, "trace_id", query.traceIds().stream().sorted().toList());
    if (query.spanId() != null) {
      sql.append(" AND span_id = ?");
      parameters.add(query.spanId());
    }
    query
        .correlation()
        .forEach(
            (key, value) -> {
              String column = PROMOTED.get(key);
              if (column != null) {
                sql.append(" AND ").append(column).append(" = ?");
                parameters.add(value);
              }
            });
    String direction = query.newestFirst() ? "DESC" : "ASC";
    return sql.append(" ORDER BY time ")
        .append(direction)
        .append(", id ")
        .append(direction)
        .toString();
  }

  private static void in(
      StringBuilder sql, List<Object> parameters, String column, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    sql.append(" AND ").append(column).append(" IN (");
    for (int i = 0; i < values.size(); i++) {
      sql.append(i == 0 ? "?" : ",?");
      parameters.add(values.get(i));
    }
    sql.append(")");
  }

  @Override
  public Uni<List<String>> names(String tenant, TimeRange range, int limit) {
    return database.read(
        statements -> {
          PreparedStatement select =
              statements.prepare(
                  "SELECT DISTINCT name FROM "
                      + codec.table
                      + " WHERE tenant = ? AND time >= ? AND time < ? ORDER BY name LIMIT ?");
          select.setString(1, tenant);
          select.setLong(2, range.startUnixNanos());
          select.setLong(3, range.endUnixNanos());
          select.setInt(4, limit);
          List<String> names = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              names.add(rows.getString(1));
            }
          }
          return names;
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return database.run(
        db ->
            Retention.deleteRowsOlderThan(
                db, codec.table, "time", cutoffUnixNanos, deleteBatchRows));
  }
}
