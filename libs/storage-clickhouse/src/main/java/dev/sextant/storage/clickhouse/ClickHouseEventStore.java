package dev.sextant.storage.clickhouse;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.Feedback;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.Score;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventKeys;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.ValuePercentiles;
import dev.sextant.storage.rollup.ExactSum;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One kind of event (metric events, scores, feedback) in a table of its own, all three alike: the
 * fields every query filters on as columns (name, time, trace and span, correlation, tags, labels),
 * the rest of the kind's fields encoded in {@code body}. A {@code ReplacingMergeTree} sorted by
 * (tenant, name, time, id), read with {@code FINAL}: a resent event (same id, name and time) is
 * stored once. Every criterion of an {@link EventQuery} is pushed down.
 */
final class ClickHouseEventStore<E extends CorrelatedEvent> implements EventStore<E> {

  private static final List<String> COLUMNS =
      List.of(
          "tenant",
          "id",
          "time",
          "name",
          "trace_id",
          "span_id",
          "correlation",
          "tags",
          "labels",
          "value",
          "body",
          "version");

  /** How one kind maps onto the shared columns. */
  interface Kind<E> {
    double value(E event);

    /** Columns of this kind's table only, written after the shared ones. */
    default List<String> ownColumns() {
      return List.of();
    }

    default void writeOwnColumns(RowBinaryOutput out, E event) {}

    Map<String, String> labels(E event);

    void writeBody(RowBinaryOutput out, E event);

    E read(Common common, double value, Map<String, String> labels, RowBinaryInput body);
  }

  /** The fields every kind has, as read. */
  record Common(
      String tenant,
      String id,
      long time,
      String name,
      String traceId,
      String spanId,
      Correlation correlation) {}

  private final ClickHouseAccess access;
  private final Schema schema;
  private final VersionClock versions;
  private final String table;
  private final Kind<E> kind;
  private final boolean hasLabels;

  private ClickHouseEventStore(
      ClickHouseAccess access,
      Schema schema,
      VersionClock versions,
      String table,
      Kind<E> kind,
      boolean hasLabels) {
    this.access = access;
    this.schema = schema;
    this.versions = versions;
    this.table = table;
    this.kind = kind;
    this.hasLabels = hasLabels;
  }

  @Override
  public Uni<Void> write(List<E> events) {
    return Uni.createFrom()
        .item(() -> encode(events))
        .chain(
            rows ->
                rows == null
                    ? access.run("write " + table, c -> null)
                    : access.insert(
                        "write " + table,
                        schema.table(table),
                        concat(COLUMNS, kind.ownColumns()),
                        rows));
  }

  private RowBinaryOutput encode(List<E> events) {
    if (events.isEmpty()) {
      return null;
    }
    Map<String, E> last = new LinkedHashMap<>();
    for (E event : events) {
      last.put(event.tenant() + '\0' + event.id(), event);
    }
    long version = versions.next(last.size());
    RowBinaryOutput out = new RowBinaryOutput(256 * last.size());
    for (E event : last.values()) {
      out.string(event.tenant());
      out.string(event.id());
      out.int64(event.timeUnixNanos());
      out.string(event.name());
      out.string(event.traceId());
      out.string(event.spanId());
      writeMap(out, event.correlation().fields());
      out.varint(event.correlation().tags().size());
      for (String tag : event.correlation().tags()) {
        out.string(tag);
      }
      writeMap(out, kind.labels(event));
      out.float64(kind.value(event));
      RowBinaryOutput body = new RowBinaryOutput(64);
      kind.writeBody(body, event);
      out.bytes(body.toByteArray());
      out.int64(version++);
      kind.writeOwnColumns(out, event);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void writeMap(RowBinaryOutput out, Map<String, String> map) {
    Map<String, String> sorted = new TreeMap<>(map);
    out.varint(sorted.size());
    sorted.forEach(
        (k, v) -> {
          out.string(k);
          out.string(v);
        });
  }

  /** The selection's criteria as a {@code WHERE} clause, its values added to the parameters. */
  private String where(EventSelection selection, Map<String, Object> parameters) {
    StringBuilder sql = new StringBuilder(where(selection.events(), parameters));
    if (selection.provider() != null) {
      parameters.put("provider", selection.provider());
      sql.append(" AND provider = {provider:String}");
    }
    if (selection.model() != null) {
      parameters.put("model", selection.model());
      sql.append(" AND model = {model:String}");
    }
    return sql.toString();
  }

  /** The index of an event's bucket: its time floored to a multiple of the length, divided. */
  private static String bucketSql(long bucketNanos, Map<String, Object> parameters) {
    parameters.put("bucket", bucketNanos);
    String t = "toUnixTimestamp64Nano(time)";
    // intDiv rounds towards zero; a negative remainder means one bucket lower.
    return "(intDiv(" + t + ", {bucket:Int64}) - (modulo(" + t + ", {bucket:Int64}) < 0))";
  }

  /** The query's criteria as a {@code WHERE} clause, its values added to the parameters. */
  private String where(EventQuery query, Map<String, Object> parameters) {
    parameters.put("tenant", query.tenant());
    parameters.put("from", query.range().startUnixNanos());
    parameters.put("to", query.range().endUnixNanos());
    StringBuilder sql =
        new StringBuilder(
            " WHERE tenant = {tenant:String}"
                + " AND time >= fromUnixTimestamp64Nano({from:Int64})"
                + " AND time < fromUnixTimestamp64Nano({to:Int64})");
    if (!query.names().isEmpty()) {
      parameters.put("names", List.copyOf(query.names()));
      sql.append(" AND name IN {names:Array(String)}");
    }
    if (!query.traceIds().isEmpty()) {
      parameters.put("traces", List.copyOf(query.traceIds()));
      sql.append(" AND trace_id IN {traces:Array(String)}");
    }
    if (query.spanId() != null) {
      parameters.put("span", query.spanId());
      sql.append(" AND span_id = {span:String}");
    }
    mapCondition(sql, "correlation", "c", query.correlation(), parameters);
    if (!query.tags().isEmpty()) {
      parameters.put("tags", query.tags());
      sql.append(" AND hasAll(tags, {tags:Array(String)})");
    }
    if (!query.labels().isEmpty()) {
      if (hasLabels) {
        mapCondition(sql, "labels", "l", query.labels(), parameters);
      } else {
        sql.append(" AND 0"); // only metric events have labels
      }
    }
    return sql.toString();
  }

  /**
   * Computed by ClickHouse over every selected metric event: {@code quantilesExactInclusive} is the
   * reference's interpolation between the closest ranks, and the same arithmetic (checked bit for
   * bit by the conformance suite). The levels are numbers checked to lie in 0..1, so they are
   * written into the SQL as literals (aggregate function parameters cannot be query parameters).
   */
  @Override
  public Uni<NavigableMap<Long, double[]>> percentiles(
      EventSelection selection, long bucketNanos, double[] percentiles) {
    ValuePercentiles.check(bucketNanos, percentiles);
    if (!(kind instanceof MetricEvents)) {
      return Uni.createFrom().item(new TreeMap<>());
    }
    Map<String, Object> parameters = new HashMap<>();
    StringBuilder levels = new StringBuilder();
    for (double p : percentiles) {
      levels.append(levels.isEmpty() ? "" : ", ").append(Double.toString(p));
    }
    String sql =
        "SELECT "
            + bucketSql(bucketNanos, parameters)
            + " AS b, quantilesExactInclusive("
            + levels
            + ")(value) FROM "
            + schema.table(table)
            + " FINAL"
            + where(selection, parameters)
            + " GROUP BY b ORDER BY b";
    return access.query(
        "percentiles of " + table,
        sql,
        parameters,
        in -> {
          NavigableMap<Long, double[]> found = new TreeMap<>();
          while (in.hasMore()) {
            long bucket = in.int64() * bucketNanos;
            found.put(bucket, in.float64Array());
          }
          return found;
        });
  }

  /**
   * Computed by ClickHouse over every selected metric event, equal bit for bit to {@link
   * EventTotals#of}: sums are exact ({@link ExactSums}), minimum and maximum keep the reference's
   * signed-zero rule, the newest value is chosen by (time, id) as the reference chooses it,
   * distinct values are counted exactly. Keys and labels are query parameters.
   */
  @Override
  public Uni<List<EventTotals>> totals(EventAggregation aggregation) {
    if (!(kind instanceof MetricEvents)) {
      return Uni.createFrom().item(List.of());
    }
    Map<String, Object> parameters = new HashMap<>();
    StringBuilder where = new StringBuilder(where(aggregation.selection(), parameters));
    StringBuilder select =
        new StringBuilder("SELECT ")
            .append(
                aggregation.bucketNanos() == 0
                    ? "toInt64(0)"
                    : bucketSql(aggregation.bucketNanos(), parameters))
            .append(" AS b");
    StringBuilder groupBy = new StringBuilder(" GROUP BY b");
    for (int i = 0; i < aggregation.groupBy().size(); i++) {
      String key = aggregation.groupBy().get(i);
      String parameter = "g" + i;
      parameters.put(parameter, key);
      if (EventKeys.isLabel(key)) {
        where.append(" AND mapContains(labels, {" + parameter + ":String})");
      }
      select.append(", CAST(" + keySql(key, parameter) + " AS Nullable(String)) AS k" + i);
      groupBy.append(", k").append(i);
    }
    String distinct = aggregation.distinctKey();
    parameters.put("d", distinct);
    String cost = "ifNull(cost, 0)";
    select
        .append(", count()")
        .append(", ")
        .append(ExactSums.partsSql("value", "1"))
        .append(", min(value), max(value)")
        .append(", countIf(reinterpretAsUInt64(value) = 9223372036854775808)") // -0.0
        .append(", countIf(reinterpretAsUInt64(value) = 0)") // +0.0
        .append(", argMin(value, (-toUnixTimestamp64Nano(time), id))")
        .append(
            EventKeys.isLabel(distinct)
                ? ", uniqExactIf(labels[{d:String}], mapContains(labels, {d:String}))"
                : ", uniqExact(" + keySql(distinct, "d") + ")")
        .append(", count(cost), ")
        .append(ExactSums.partsSql(cost, "cost IS NOT NULL"))
        .append(", groupUniqArrayIf(toString(cost_unit), cost IS NOT NULL AND cost_unit != '')");
    parameters.put("rows", EventAggregation.MAX_ROWS + 1);
    String sql =
        select
            + " FROM "
            + schema.table(table)
            + " FINAL"
            + where
            + groupBy
            + " LIMIT {rows:UInt32}";
    int keys = aggregation.groupBy().size();
    long bucketNanos = aggregation.bucketNanos();
    return access
        .query(
            "totals of " + table,
            sql,
            parameters,
            in -> {
              List<EventTotals> found = new ArrayList<>();
              while (in.hasMore()) {
                long bucket = in.int64() * bucketNanos;
                List<String> group = new ArrayList<>(keys);
                for (int i = 0; i < keys; i++) {
                  group.add(in.uint8() != 0 ? null : in.string());
                }
                long count = in.int64();
                ExactSum sum = ExactSums.read(in);
                double min = in.float64();
                double max = in.float64();
                long negativeZeros = in.int64();
                long positiveZeros = in.int64();
                double last = in.float64();
                long distinctValues = in.int64();
                long costs = in.int64();
                ExactSum costSum = ExactSums.read(in);
                int unitCount = Math.toIntExact(in.varint());
                List<String> units = new ArrayList<>(unitCount);
                for (int i = 0; i < unitCount; i++) {
                  units.add(in.string());
                }
                found.add(
                    new EventTotals(
                        bucket,
                        group,
                        count,
                        sum,
                        signedZero(min, negativeZeros > 0),
                        signedZero(max, positiveZeros == 0),
                        last,
                        distinctValues,
                        costs == 0 ? null : costSum,
                        new java.util.HashSet<>(units)));
              }
              return found;
            })
        .map(
            found -> {
              EventAggregation.checkRows(found.size());
              found.sort(EventTotals.ORDER);
              return found;
            });
  }

  /** A zero as -0.0 when asked, as ClickHouse's min and max need not tell the two apart. */
  private static double signedZero(double value, boolean negative) {
    return value == 0 ? (negative ? -0.0 : 0.0) : value;
  }

  /** A key's value as SQL, its name (for correlation keys and labels) the given parameter. */
  private static String keySql(String key, String parameter) {
    EventKeys.Field field = EventKeys.Field.of(key);
    if (field == null) {
      return EventKeys.isLabel(key)
          ? "labels[{" + parameter + ":String}]"
          : "nullIf(correlation[{" + parameter + ":String}], '')";
    }
    return switch (field) {
      case NAME -> "toString(name)";
      case TRACE_ID -> "nullIf(trace_id, '')";
      case SPAN_ID -> "nullIf(span_id, '')";
      case PROVIDER -> "nullIf(toString(provider), '')";
      case MODEL -> "nullIf(toString(model), '')";
      case COST_UNIT -> "nullIf(toString(cost_unit), '')";
      case METRIC_ID -> "id";
      case EXECUTION_SOURCE -> "nullIf(correlation['" + Correlation.SOURCE + "'], '')";
    };
  }

  private static Map<String, String> readMap(RowBinaryInput in) {
    int n = Math.toIntExact(in.varint());
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      map.put(in.string(), in.string());
    }
    return map;
  }

  @Override
  public Uni<List<E>> search(EventQuery query) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("limit", query.limit());
    StringBuilder sql =
        new StringBuilder(
            "SELECT tenant, id, toUnixTimestamp64Nano(time), name, trace_id, span_id,"
                + " correlation, tags, labels, value, body FROM "
                + schema.table(table)
                + " FINAL"
                + where(query, parameters));
    String direction = query.newestFirst() ? " DESC" : "";
    sql.append(" ORDER BY time").append(direction).append(", id").append(direction);
    sql.append(" LIMIT {limit:UInt32}");
    return access.query(
        "search " + table,
        sql.toString(),
        parameters,
        in -> {
          List<E> found = new ArrayList<>();
          while (in.hasMore()) {
            String tenant = in.string();
            String id = in.string();
            long time = in.int64();
            String name = in.string();
            String traceId = in.string();
            String spanId = in.string();
            Map<String, String> correlation = readMap(in);
            int tagCount = Math.toIntExact(in.varint());
            List<String> tags = new ArrayList<>(tagCount);
            for (int i = 0; i < tagCount; i++) {
              tags.add(in.string());
            }
            Map<String, String> labels = readMap(in);
            double value = in.float64();
            RowBinaryInput body = new RowBinaryInput(in.bytes());
            found.add(
                kind.read(
                    new Common(
                        tenant,
                        id,
                        time,
                        name,
                        traceId,
                        spanId,
                        new Correlation(correlation, tags)),
                    value,
                    labels,
                    body));
          }
          return found;
        });
  }

  /** Each wanted key present in the map column with the wanted value. */
  private static void mapCondition(
      StringBuilder sql,
      String column,
      String prefix,
      Map<String, String> wanted,
      Map<String, Object> parameters) {
    int i = 0;
    for (Map.Entry<String, String> entry : new TreeMap<>(wanted).entrySet()) {
      String key = prefix + "k" + i;
      String value = prefix + "v" + i++;
      parameters.put(key, entry.getKey());
      parameters.put(value, entry.getValue());
      sql.append(" AND mapContains(")
          .append(column)
          .append(", {")
          .append(key)
          .append(":String}) AND ")
          .append(column)
          .append("[{")
          .append(key)
          .append(":String}] = {")
          .append(value)
          .append(":String}");
    }
  }

  @Override
  public Uni<List<String>> names(String tenant, TimeRange range, int limit) {
    return access.query(
        "read " + table + " names",
        "SELECT DISTINCT toString(name) FROM "
            + schema.table(table)
            + " FINAL WHERE tenant = {tenant:String}"
            + " AND time >= fromUnixTimestamp64Nano({from:Int64})"
            + " AND time < fromUnixTimestamp64Nano({to:Int64})",
        Map.of("tenant", tenant, "from", range.startUnixNanos(), "to", range.endUnixNanos()),
        in -> {
          List<String> names = new ArrayList<>();
          while (in.hasMore()) {
            names.add(in.string());
          }
          names.sort(null); // Java's order, which can differ from ClickHouse's bytewise one
          return List.copyOf(names.subList(0, Math.min(Math.max(limit, 0), names.size())));
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    String before = " WHERE time < fromUnixTimestamp64Nano({cutoff:Int64})";
    return access.countThenDelete(
        "delete old " + table,
        "SELECT count() FROM " + schema.table(table) + " FINAL" + before,
        List.of("DELETE FROM " + schema.local(table) + schema.onCluster() + before),
        Map.of("cutoff", cutoffUnixNanos),
        () -> {});
  }

  // ------------------------------------------------------------------ the three kinds

  static ClickHouseEventStore<MetricEvent> metricEvents(
      ClickHouseAccess access, Schema schema, VersionClock versions) {
    return new ClickHouseEventStore<>(
        access, schema, versions, Schema.METRIC_EVENTS, new MetricEvents(), true);
  }

  static ClickHouseEventStore<Score> scores(
      ClickHouseAccess access, Schema schema, VersionClock versions) {
    return new ClickHouseEventStore<>(access, schema, versions, Schema.SCORES, new Scores(), false);
  }

  static ClickHouseEventStore<Feedback> feedback(
      ClickHouseAccess access, Schema schema, VersionClock versions) {
    return new ClickHouseEventStore<>(
        access, schema, versions, Schema.FEEDBACK, new Feedbacks(), false);
  }

  private static void writeOptional(RowBinaryOutput out, Double value) {
    out.uint8(value == null ? 0 : 1);
    out.float64(value == null ? 0 : value);
  }

  private static Double readOptional(RowBinaryInput in) {
    boolean present = in.uint8() != 0;
    double value = in.float64();
    return present ? value : null;
  }

  /** A metric event's {@code body} (its layout is what migration v4 reads old rows' costs from). */
  static byte[] metricEventBody(MetricEvent event) {
    RowBinaryOutput body = new RowBinaryOutput(64);
    new MetricEvents().writeBody(body, event);
    return body.toByteArray();
  }

  private static final class MetricEvents implements Kind<MetricEvent> {
    @Override
    public double value(MetricEvent event) {
      return event.value();
    }

    /** The cost's fields, which the body holds too, for SQL to filter and total (migration v4). */
    @Override
    public List<String> ownColumns() {
      return List.of("provider", "model", "cost", "cost_unit");
    }

    @Override
    public void writeOwnColumns(RowBinaryOutput out, MetricEvent event) {
      Cost cost = event.cost();
      out.string(cost.provider());
      out.string(cost.model());
      if (cost.estimatedCost() == null) {
        out.uint8(1); // Nullable: the null flag, no value
      } else {
        out.uint8(0);
        out.float64(cost.estimatedCost());
      }
      out.string(cost.unit());
    }

    @Override
    public Map<String, String> labels(MetricEvent event) {
      return event.labels();
    }

    @Override
    public void writeBody(RowBinaryOutput out, MetricEvent event) {
      Cost cost = event.cost();
      out.string(cost.provider());
      out.string(cost.model());
      writeOptional(out, cost.estimatedCost());
      out.string(cost.unit());
      out.string(cost.metadataJson());
      out.string(event.metadata());
    }

    @Override
    public MetricEvent read(
        Common c, double value, Map<String, String> labels, RowBinaryInput body) {
      Cost cost =
          new Cost(body.string(), body.string(), readOptional(body), body.string(), body.string());
      return new MetricEvent(
          c.tenant(),
          c.id(),
          c.time(),
          c.name(),
          value,
          labels,
          c.traceId(),
          c.spanId(),
          c.correlation(),
          cost,
          body.string());
    }
  }

  private static final class Scores implements Kind<Score> {
    @Override
    public double value(Score score) {
      return score.score();
    }

    @Override
    public Map<String, String> labels(Score score) {
      return Map.of();
    }

    @Override
    public void writeBody(RowBinaryOutput out, Score s) {
      out.string(s.scorerName());
      out.string(s.scorerVersion());
      out.string(s.scoreSource());
      out.string(s.reason());
      out.string(s.scoreTraceId());
      out.string(s.metadata());
    }

    @Override
    public Score read(Common c, double value, Map<String, String> labels, RowBinaryInput body) {
      return new Score(
          c.tenant(),
          c.id(),
          c.time(),
          c.traceId(),
          c.spanId(),
          c.name(),
          body.string(),
          body.string(),
          body.string(),
          value,
          body.string(),
          body.string(),
          c.correlation(),
          body.string());
    }
  }

  private static final class Feedbacks implements Kind<Feedback> {
    @Override
    public double value(Feedback feedback) {
      return feedback.numberValue() == null ? 0 : feedback.numberValue();
    }

    @Override
    public Map<String, String> labels(Feedback feedback) {
      return Map.of();
    }

    @Override
    public void writeBody(RowBinaryOutput out, Feedback f) {
      writeOptional(out, f.numberValue());
      out.string(f.feedbackSource());
      out.string(f.textValue());
      out.string(f.comment());
      out.string(f.feedbackUserId());
      out.string(f.sourceId());
      out.string(f.reviewStatus());
      out.string(f.metadata());
    }

    @Override
    public Feedback read(Common c, double value, Map<String, String> labels, RowBinaryInput body) {
      Double number = readOptional(body);
      return new Feedback(
          c.tenant(),
          c.id(),
          c.time(),
          c.traceId(),
          c.spanId(),
          body.string(),
          c.name(),
          number,
          body.string(),
          body.string(),
          body.string(),
          body.string(),
          body.string(),
          c.correlation(),
          body.string());
    }
  }
}
