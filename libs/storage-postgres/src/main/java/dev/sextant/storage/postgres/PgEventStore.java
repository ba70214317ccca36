package dev.sextant.storage.postgres;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.TraceIds;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.json.NulEscape;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.ValuePercentiles;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * One kind of Mastra event (metric events, scores, feedback) in its daily-partitioned table
 * (migration V2), mapped by a {@link PgEventCodec}. A batch is one statement: its columns as
 * arrays, {@code unnest}ed into an upsert on (tenant, id, time) that first removes the same id
 * stored under another time, so a resent event is stored once and a rewrite replaces it. Every
 * criterion of an {@link EventQuery} is pushed into SQL (correlation and labels as {@code jsonb}
 * containment, tags as array containment), so {@code LIMIT} applies in the database; rows read are
 * checked with {@link EventQuery#matches} all the same.
 */
final class PgEventStore<E extends CorrelatedEvent> implements EventStore<E> {
  /** Events a page of a scan (totals, percentiles) reads. */
  private static final int SCAN_PAGE = 20_000;

  private final PgClient client;
  private final PgEventCodec<E> codec;
  private final TableRetention retention;
  private final String write;
  private final String select;
  private final String names;

  PgEventStore(PgClient client, String schema, PgEventCodec<E> codec, int deleteBatchRows) {
    this.client = client;
    this.codec = codec;
    this.retention = new TableRetention(client, schema, codec.table(), deleteBatchRows);
    this.write = writeSql(codec);
    this.select = selectSql(codec);
    this.names =
        "SELECT DISTINCT "
            + codec.nameColumn()
            + " COLLATE \"C\" AS n FROM "
            + codec.table()
            + " WHERE tenant = $1 AND time >= $2 AND time < $3 ORDER BY n LIMIT $4";
  }

  private static <E extends CorrelatedEvent> String writeSql(PgEventCodec<E> codec) {
    List<PgEventCodec.Column<E>> columns = codec.columns();
    StringJoiner unnest = new StringJoiner(", ", "unnest(", ")");
    StringJoiner aliases = new StringJoiner(", ", "u(", ")");
    StringJoiner targets = new StringJoiner(", ", "(", ")");
    StringJoiner values = new StringJoiner(", ");
    StringJoiner updates = new StringJoiner(", ");
    for (int i = 0; i < columns.size(); i++) {
      PgEventCodec.Column<E> column = columns.get(i);
      unnest.add("$" + (i + 1) + "::" + column.type().sql + "[]");
      aliases.add(column.name());
      targets.add(column.name());
      values.add(column.insert());
      if (!PgEventCodec.KEY.contains(column.name())) {
        updates.add(column.name() + " = excluded." + column.name());
      }
    }
    String table = codec.table();
    return "WITH input AS (SELECT * FROM "
        + unnest
        + " AS "
        + aliases
        + "), moved AS (DELETE FROM "
        + table
        + " t USING input i WHERE t.tenant = i.tenant AND t.id = i.id AND t.time <> i.time)"
        + " INSERT INTO "
        + table
        + " "
        + targets
        + " SELECT "
        + values
        + " FROM input i ON CONFLICT (tenant, id, time) DO UPDATE SET "
        + updates;
  }

  private static <E extends CorrelatedEvent> String selectSql(PgEventCodec<E> codec) {
    StringJoiner columns = new StringJoiner(", ", "SELECT ", " FROM " + codec.table());
    for (PgEventCodec.Column<E> column : codec.columns()) {
      columns.add(column.select());
    }
    return columns.toString();
  }

  @Override
  public Uni<Void> write(List<E> events) {
    return Uni.createFrom()
        .deferred(
            () -> {
              if (events.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return client
                  .query("writing " + codec.table(), write, encode(lastOfEach(events)))
                  .replaceWithVoid();
            });
  }

  /** The last event of each (tenant, id) in the batch: an upsert may touch a row only once. */
  private List<E> lastOfEach(List<E> events) {
    Map<List<String>, E> last = new LinkedHashMap<>();
    for (E event : events) {
      last.put(List.of(event.tenant(), event.id()), event);
    }
    return last.size() == events.size() ? events : List.copyOf(last.values());
  }

  private Tuple encode(List<E> events) {
    List<PgEventCodec.Column<E>> columns = codec.columns();
    Object[] arrays = new Object[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      PgEventCodec.Column<E> column = columns.get(c);
      Object[] array = column.type().newArray(events.size());
      for (int i = 0; i < events.size(); i++) {
        array[i] = column.value().apply(events.get(i));
      }
      arrays[c] = array;
    }
    return Tuple.from(arrays);
  }

  @Override
  public Uni<List<E>> search(EventQuery query) {
    return Uni.createFrom()
        .deferred(
            () -> {
              Sql sql = where(query, null);
              if (sql == null) {
                return Uni.createFrom().item(List.<E>of());
              }
              return client
                  .query("searching " + codec.table(), sql.text(), sql.tuple())
                  .map(
                      rows -> {
                        List<E> found = new ArrayList<>(rows.rowCount());
                        for (Row row : rows) {
                          E event = codec.read(row);
                          if (query.matches(event)) {
                            found.add(event);
                          }
                        }
                        return found;
                      });
            });
  }

  /**
   * Totalled over every selected event, read page by page in (time, id) order and counted with the
   * reference's accumulator, so no cap applies and at most a page of events is held.
   */
  @Override
  public Uni<List<EventTotals>> totals(EventAggregation aggregation) {
    EventTotals.Accumulator totals = new EventTotals.Accumulator(aggregation);
    return scan(
            aggregation.events(),
            null,
            event -> {
              if (event instanceof MetricEvent metric && aggregation.selects(metric)) {
                totals.add(metric);
              }
            })
        .map(done -> totals.totals());
  }

  /** As {@link #totals}: over every matching event, page by page. */
  @Override
  public Uni<NavigableMap<Long, double[]>> percentiles(
      EventSelection selection, long bucketNanos, double[] percentiles) {
    ValuePercentiles.Accumulator accumulator =
        new ValuePercentiles.Accumulator(bucketNanos, percentiles);
    return scan(
            selection.events(),
            null,
            event -> {
              if (event instanceof MetricEvent metric && selection.selects(metric)) {
                accumulator.add(metric);
              }
            })
        .map(done -> accumulator.percentiles());
  }

  /** Hands every event matching the query, oldest first, to {@code visit}: pages after a cursor. */
  private Uni<Void> scan(EventQuery query, E after, Consumer<E> visit) {
    Sql sql = where(query.oldestFirst(SCAN_PAGE), after);
    if (sql == null) {
      return Uni.createFrom().voidItem();
    }
    return client
        .query("scanning " + codec.table(), sql.text(), sql.tuple())
        .chain(
            rows -> {
              E last = null;
              for (Row row : rows) {
                last = codec.read(row);
                if (query.matches(last)) {
                  visit.accept(last);
                }
              }
              return rows.rowCount() < SCAN_PAGE
                  ? Uni.createFrom().voidItem()
                  : scan(query, last, visit);
            });
  }

  /**
   * The query in SQL, or null when nothing can match (an id that is no id, labels elsewhere); with
   * {@code after}, only events after it in (time, id) order (the query must be oldest first).
   */
  private Sql where(EventQuery query, E after) {
    Sql sql = new Sql();
    sql.append(select)
        .append(" WHERE tenant = ")
        .append(sql.param(NulEscape.escape(query.tenant())))
        .append(" AND time >= ")
        .append(sql.param(query.range().startUnixNanos()))
        .append(" AND time < ")
        .append(sql.param(query.range().endUnixNanos()));
    if (!query.names().isEmpty()) {
      String[] names = query.names().stream().map(NulEscape::escape).toArray(String[]::new);
      sql.append(" AND ")
          .append(codec.nameColumn())
          .append(" = ANY(")
          .append(sql.param(names))
          .append("::text[])");
    }
    if (!query.traceIds().isEmpty()) {
      Buffer[] ids =
          query.traceIds().stream()
              .filter(TraceIds::isTraceId)
              .map(Ids::traceId)
              .toArray(Buffer[]::new);
      if (ids.length == 0) {
        return null;
      }
      sql.append(" AND trace_id = ANY(").append(sql.param(ids)).append("::bytea[])");
    }
    if (query.spanId() != null) {
      if (!TraceIds.isSpanId(query.spanId())) {
        return null;
      }
      sql.append(" AND span_id = ").append(sql.param(Ids.spanId(query.spanId())));
    }
    if (!query.correlation().isEmpty()) {
      // As text, then jsonb: a String bound to a jsonb parameter would be sent as a JSON string.
      sql.append(" AND correlation @> ")
          .append(sql.param(PgJson.JSON.stringMap(query.correlation())))
          .append("::text::jsonb");
    }
    if (!query.tags().isEmpty()) {
      String[] tags = query.tags().stream().map(NulEscape::escape).toArray(String[]::new);
      sql.append(" AND tags @> ").append(sql.param(tags)).append("::text[]");
    }
    if (!query.labels().isEmpty()) {
      if (codec.kind() != MetricEvent.class) {
        return null;
      }
      sql.append(" AND labels @> ")
          .append(sql.param(PgJson.JSON.stringMap(query.labels())))
          .append("::text::jsonb");
    }
    if (after != null) {
      String time = sql.param(after.timeUnixNanos());
      sql.append(" AND (time > ")
          .append(time)
          .append(" OR (time = ")
          .append(time)
          .append(" AND id COLLATE \"C\" > ")
          .append(sql.param(NulEscape.escape(after.id())))
          .append("))");
    }
    String direction = query.newestFirst() ? " DESC" : " ASC";
    return sql.append(" ORDER BY time")
        .append(direction)
        .append(", id COLLATE \"C\"")
        .append(direction)
        .append(" LIMIT ")
        .append(sql.param(query.limit()));
  }

  @Override
  public Uni<List<String>> names(String tenant, TimeRange range, int limit) {
    return client
        .query(
            "listing names of " + codec.table(),
            names,
            Tuple.of(NulEscape.escape(tenant), range.startUnixNanos(), range.endUnixNanos(), limit))
        .map(
            rows -> {
              List<String> found = new ArrayList<>(rows.rowCount());
              for (Row row : rows) {
                found.add(NulEscape.unescape(row.getString(0)));
              }
              return found;
            });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return retention.deleteOlderThan(cutoffUnixNanos);
  }
}
