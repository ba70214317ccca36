package dev.sextant.storage.postgres;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.storage.json.NulEscape;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * How one kind of event maps to its table (migration V2): the columns every event has (tenant, id,
 * time, trace, span, correlation, tags, metadata), then the kind's own, in {@code SELECT} order.
 * Every string is escaped ({@link NulEscape}); ids are bytes, empty ids NULL; correlation fields
 * and metric labels are {@code jsonb} objects of strings; tags a {@code text[]} in the order sent.
 */
record PgEventCodec<E extends CorrelatedEvent>(
    Class<E> kind,
    String table,
    String nameColumn,
    List<Column<E>> columns,
    Function<Row, E> reader) {

  /** The key columns, which an upsert never updates. */
  static final Set<String> KEY = Set.of("tenant", "id", "time");

  /** A column's SQL type and the Java array its batch travels in. */
  enum Type {
    TEXT("text", String[]::new),
    INT8("int8", Long[]::new),
    FLOAT8("float8", Double[]::new),
    BYTEA("bytea", Buffer[]::new);

    final String sql;
    private final IntFunction<Object[]> arrays;

    Type(String sql, IntFunction<Object[]> arrays) {
      this.sql = sql;
      this.arrays = arrays;
    }

    Object[] newArray(int length) {
      return arrays.apply(length);
    }
  }

  /**
   * One column: its name, the type it is sent as, the expression inserting it from the input row
   * {@code i}, the expression selecting it, and its value for an event.
   */
  record Column<E>(
      String name, Type type, String insert, String select, Function<E, Object> value) {
    static <E> Column<E> of(String name, Type type, Function<E, Object> value) {
      return new Column<>(name, type, "i." + name, name, value);
    }

    static <E> Column<E> text(String name, Function<E, String> value) {
      return of(name, Type.TEXT, e -> NulEscape.escape(value.apply(e)));
    }

    static <E> Column<E> json(String name, Function<E, String> value) {
      return new Column<>(
          name, Type.TEXT, "i." + name + "::jsonb", name + "::text", e -> value.apply(e));
    }
  }

  E read(Row row) {
    return reader.apply(row);
  }

  private static <E extends CorrelatedEvent> List<Column<E>> common(Function<E, String> metadata) {
    List<Column<E>> columns = new ArrayList<>();
    columns.add(Column.text("tenant", CorrelatedEvent::tenant));
    columns.add(Column.text("id", CorrelatedEvent::id));
    columns.add(Column.of("time", Type.INT8, CorrelatedEvent::timeUnixNanos));
    columns.add(Column.of("trace_id", Type.BYTEA, e -> Ids.optional(e.traceId())));
    columns.add(Column.of("span_id", Type.BYTEA, e -> Ids.optional(e.spanId())));
    columns.add(Column.json("correlation", e -> PgJson.JSON.stringMap(e.correlation().fields())));
    // Tags travel as a JSON array per event (an array of arrays would not unnest row by row).
    columns.add(
        new Column<>(
            "tags",
            Type.TEXT,
            "ARRAY(SELECT t FROM jsonb_array_elements_text(i.tags::jsonb) WITH ORDINALITY"
                + " AS x(t, n) ORDER BY n)",
            "tags",
            e -> PgJson.JSON.stringList(e.correlation().tags())));
    columns.add(Column.text("metadata", metadata));
    return columns;
  }

  /** The columns {@link #common} reads: 0 tenant … 7 metadata; the kind's own start at 8. */
  private record Common(
      String tenant,
      String id,
      long time,
      String traceId,
      String spanId,
      Correlation correlation,
      String metadata) {
    static Common of(Row row) {
      String[] tags = row.getArrayOfStrings(6);
      return new Common(
          text(row, 0),
          text(row, 1),
          row.getLong(2),
          Ids.optionalHex(row.getBuffer(3)),
          Ids.optionalHex(row.getBuffer(4)),
          new Correlation(
              PgJson.JSON.readStringMap(row.getString(5)),
              tags == null ? List.of() : Arrays.stream(tags).map(NulEscape::unescape).toList()),
          text(row, 7));
    }
  }

  private static String text(Row row, int column) {
    return NulEscape.unescape(row.getString(column));
  }

  static final PgEventCodec<MetricEvent> METRIC_EVENTS = metricEvents();
  static final PgEventCodec<Score> SCORES = scores();
  static final PgEventCodec<Feedback> FEEDBACK = feedback();

  private static PgEventCodec<MetricEvent> metricEvents() {
    List<Column<MetricEvent>> columns = common(MetricEvent::metadata);
    columns.add(Column.text("name", MetricEvent::name));
    columns.add(Column.of("value", Type.FLOAT8, MetricEvent::value));
    columns.add(Column.json("labels", e -> PgJson.JSON.stringMap(e.labels())));
    columns.add(Column.text("cost_provider", e -> e.cost().provider()));
    columns.add(Column.text("cost_model", e -> e.cost().model()));
    columns.add(Column.of("estimated_cost", Type.FLOAT8, e -> e.cost().estimatedCost()));
    columns.add(Column.text("cost_unit", e -> e.cost().unit()));
    columns.add(Column.text("cost_metadata", e -> e.cost().metadataJson()));
    return new PgEventCodec<>(
        MetricEvent.class,
        "metric_events",
        "name",
        List.copyOf(columns),
        row -> {
          Common c = Common.of(row);
          return new MetricEvent(
              c.tenant(),
              c.id(),
              c.time(),
              text(row, 8),
              row.getDouble(9),
              PgJson.JSON.readStringMap(row.getString(10)),
              c.traceId(),
              c.spanId(),
              c.correlation(),
              new Cost(
                  text(row, 11), text(row, 12), row.getDouble(13), text(row, 14), text(row, 15)),
              c.metadata());
        });
  }

  private static PgEventCodec<Score> scores() {
    List<Column<Score>> columns = common(Score::metadata);
    columns.add(Column.text("scorer_id", Score::scorerId));
    columns.add(Column.text("scorer_name", Score::scorerName));
    columns.add(Column.text("scorer_version", Score::scorerVersion));
    columns.add(Column.text("score_source", Score::scoreSource));
    columns.add(Column.of("score", Type.FLOAT8, Score::score));
    columns.add(Column.text("reason", Score::reason));
    columns.add(Column.of("score_trace_id", Type.BYTEA, s -> Ids.optional(s.scoreTraceId())));
    return new PgEventCodec<>(
        Score.class,
        "scores",
        "scorer_id",
        List.copyOf(columns),
        row -> {
          Common c = Common.of(row);
          return new Score(
              c.tenant(),
              c.id(),
              c.time(),
              c.traceId(),
              c.spanId(),
              text(row, 8),
              text(row, 9),
              text(row, 10),
              text(row, 11),
              row.getDouble(12),
              text(row, 13),
              Ids.optionalHex(row.getBuffer(14)),
              c.correlation(),
              c.metadata());
        });
  }

  private static PgEventCodec<Feedback> feedback() {
    List<Column<Feedback>> columns = common(Feedback::metadata);
    columns.add(Column.text("feedback_source", Feedback::feedbackSource));
    columns.add(Column.text("feedback_type", Feedback::feedbackType));
    columns.add(Column.of("number_value", Type.FLOAT8, Feedback::numberValue));
    columns.add(Column.text("text_value", Feedback::textValue));
    columns.add(Column.text("comment", Feedback::comment));
    columns.add(Column.text("feedback_user_id", Feedback::feedbackUserId));
    columns.add(Column.text("source_id", Feedback::sourceId));
    columns.add(Column.text("review_status", Feedback::reviewStatus));
    return new PgEventCodec<>(
        Feedback.class,
        "feedback",
        "feedback_type",
        List.copyOf(columns),
        row -> {
          Common c = Common.of(row);
          return new Feedback(
              c.tenant(),
              c.id(),
              c.time(),
              c.traceId(),
              c.spanId(),
              text(row, 8),
              text(row, 9),
              row.getDouble(10),
              text(row, 11),
              text(row, 12),
              text(row, 13),
              text(row, 14),
              text(row, 15),
              c.correlation(),
              c.metadata());
        });
  }
}
