package dev.sextant.storage.clickhouse;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricEvent;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.LogQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.query.TraceQuery;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A database made by an earlier schema version is brought to the current one, its data kept. */
class ClickHouseMigrationsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static ClickHouseStorage storage(String database) {
    return ClickHouseStorage.builder()
        .endpoint(ChdbServer.shared().endpoint())
        .database(database)
        .build();
  }

  private static List<String> sampleCodecs(String database) {
    return ChdbServer.shared()
        .select(
            "SELECT name, compression_codec FROM system.columns WHERE database = '"
                + database
                + "' AND table = 'samples' AND name IN ('time', 'value') ORDER BY name"
                + " FORMAT TSV");
  }

  @Test
  void versionOneIsUpgradedAndItsPointsStayReadable() {
    String database = "upgrade_" + ProcessHandle.current().pid();
    // Version 1 as an earlier release left it, with a point written by it.
    Schema schema = versionOne(database);
    assertThat(sampleCodecs(database))
        .containsExactly("time\tCODEC(DoubleDelta, ZSTD(1))", "value\tCODEC(Gorilla(8), ZSTD(1))");
    MetricSeries series = Fixtures.series("queue_depth", MetricType.GAUGE, "queue", "a");
    ChdbServer.shared()
        .select(
            "INSERT INTO "
                + schema.table(Schema.SAMPLES)
                + " (tenant, series_id, time, kind, value, version) VALUES ('"
                + TENANT
                + "', "
                + series.id()
                + ", fromUnixTimestamp64Nano(toInt64("
                + T0
                + ")), 0, 4.5, 1)");

    ClickHouseStorage upgraded = storage(database);
    upgraded.start();
    try {
      assertThat(sampleCodecs(database))
          .containsExactly("time\tCODEC(Delta(8), ZSTD(1))", "value\tCODEC(Delta(8), ZSTD(1))");
      // The point from version 1, and one written after the upgrade, read back exactly.
      upgraded
          .metrics()
          .write(List.of(new MetricWrite(series, new NumberPoint(0, T0 + seconds(10), -0.0))))
          .await()
          .atMost(PATIENCE);
      assertThat(
              upgraded
                  .metrics()
                  .points(TENANT, series.id(), new TimeRange(T0, T0 + seconds(20)))
                  .await()
                  .atMost(PATIENCE))
          .containsExactly(new NumberPoint(0, T0, 4.5), new NumberPoint(0, T0 + seconds(10), -0.0));
      assertThat(
              ChdbServer.shared()
                  .select("SELECT max(version) FROM " + schema.table(Schema.MIGRATIONS)))
          .containsExactly(Integer.toString(Migrations.ALL.getLast().version()));
    } finally {
      upgraded.close();
    }
  }

  @Test
  void metricEventCostsWrittenBeforeVersionFourAreTotalledAndFiltered() {
    String database = "event_costs_" + ProcessHandle.current().pid();
    Schema schema = versionOne(database);
    // Lengths of one, two and three LEB128 bytes, and an event without any cost.
    List<MetricEvent> old =
        List.of(
            costEvent("old-1", 1, new Cost("p".repeat(200), "m".repeat(20_000), 0.5, "USD", "{}")),
            costEvent("old-2", 2, Cost.NONE),
            costEvent("old-3", 3, new Cost("openai", "gpt", 0.25, "EUR", "")));
    for (MetricEvent e : old) {
      ChdbServer.shared()
          .select(
              "INSERT INTO "
                  + schema.table(Schema.METRIC_EVENTS)
                  + " (tenant, id, time, name, value, body, version) VALUES ('"
                  + TENANT
                  + "', '"
                  + e.id()
                  + "', fromUnixTimestamp64Nano(toInt64("
                  + e.timeUnixNanos()
                  + ")), 'tokens', "
                  + e.value()
                  + ", "
                  + unhex(ClickHouseEventStore.metricEventBody(e))
                  + ", 1)");
    }

    ClickHouseStorage upgraded = storage(database);
    upgraded.start();
    try {
      MetricEvent fresh = costEvent("new", 4, new Cost("openai", "gpt", 1.0, "EUR", ""));
      upgraded.metricEvents().write(List.of(fresh)).await().atMost(PATIENCE);
      List<MetricEvent> all = List.of(old.get(0), old.get(1), old.get(2), fresh);
      EventQuery tokens = EventQuery.named(TENANT, Set.of("tokens"), 100);
      EventAggregation byCost =
          new EventAggregation(
              tokens, null, null, 0, List.of("provider", "model", "costUnit"), "provider");
      List<EventTotals> found = upgraded.metricEvents().totals(byCost).await().atMost(PATIENCE);
      assertThat(found).containsExactlyElementsOf(EventTotals.of(all, byCost));
      assertThat(found)
          .extracting(t -> t.group().getFirst(), t -> t.cost() == null ? null : t.cost().value())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(null, null),
              org.assertj.core.groups.Tuple.tuple("openai", 1.25),
              org.assertj.core.groups.Tuple.tuple("p".repeat(200), 0.5));
      EventAggregation gpt = new EventAggregation(tokens, "openai", "gpt", 0, List.of(), null);
      assertThat(upgraded.metricEvents().totals(gpt).await().atMost(PATIENCE))
          .containsExactlyElementsOf(EventTotals.of(List.of(old.get(2), fresh), gpt));
      // The old rows read back whole.
      assertThat(upgraded.metricEvents().search(tokens).await().atMost(PATIENCE))
          .containsExactlyElementsOf(all);
    } finally {
      upgraded.close();
    }
  }

  private static MetricEvent costEvent(String id, int second, Cost cost) {
    return new MetricEvent(
        TENANT,
        id,
        T0 + seconds(second),
        "tokens",
        second * 10,
        Map.of(),
        "",
        "",
        Correlation.NONE,
        cost,
        "");
  }

  /** A database as schema version 1 left it: its tables, and version 1 recorded. */
  private static Schema versionOne(String database) {
    Schema schema = new Schema(storage(database).options());
    ChdbServer.shared().select(schema.createDatabase());
    for (String statement : Migrations.v1(schema)) {
      ChdbServer.shared().select(statement);
    }
    ChdbServer.shared()
        .select(
            "CREATE TABLE "
                + schema.table(Schema.MIGRATIONS)
                + " (version UInt32, description String, applied_at DateTime DEFAULT now())"
                + " ENGINE = MergeTree ORDER BY version");
    ChdbServer.shared()
        .select(
            "INSERT INTO "
                + schema.table(Schema.MIGRATIONS)
                + " (version, description) VALUES (1, 'create tables')");
    return schema;
  }

  private static String unhex(byte[] bytes) {
    return "unhex('" + HexFormat.of().formatHex(bytes) + "')";
  }

  private static List<Map.Entry<String, Object>> entries(Map<String, Object> map) {
    return List.copyOf(map.entrySet());
  }

  @Test
  void spansAndLogsWrittenBeforeVersionThreeKeepTheirAttributes() {
    String database = "attributes_" + ProcessHandle.current().pid();
    Schema schema = versionOne(database);
    Map<String, Object> attributes = Fixtures.everyValueType();
    // A span and a log record as versions 1 and 2 wrote them: attributes whole in `attributes`.
    ChdbServer.shared()
        .select(
            "INSERT INTO "
                + schema.table(Schema.SPANS)
                + " (tenant, trace_id, span_id, start_time, name, service_name,"
                + " resource_attributes, attributes, events, links, filter_attributes, version)"
                + " VALUES ('"
                + TENANT
                + "', unhex('"
                + Fixtures.traceId(1)
                + "'), unhex('"
                + Fixtures.spanId(1)
                + "'), fromUnixTimestamp64Nano(toInt64("
                + T0
                + ")), 'old', 'svc', "
                + unhex(AttributeCodec.attributes(Map.of("service.name", "svc")))
                + ", "
                + unhex(AttributeCodec.attributes(attributes))
                + ", "
                + unhex(AttributeCodec.events(List.of()))
                + ", "
                + unhex(AttributeCodec.links(List.of()))
                + ", map('service.name', 'svc', 'string', 'value'), 1)");
    ChdbServer.shared()
        .select(
            "INSERT INTO "
                + schema.table(Schema.LOGS)
                + " (tenant, time, observed_time, body_text, service_name, resource_attributes,"
                + " attributes, filter_attributes) VALUES ('"
                + TENANT
                + "', fromUnixTimestamp64Nano(toInt64("
                + T0
                + ")), fromUnixTimestamp64Nano(toInt64("
                + T0
                + ")), 'old', 'svc', "
                + unhex(AttributeCodec.attributes(Map.of()))
                + ", "
                + unhex(AttributeCodec.attributes(attributes))
                + ", map('string', 'value'))");

    ClickHouseStorage upgraded = storage(database);
    upgraded.start();
    try {
      // Written after the upgrade: the attributes once, in filter_attributes and attribute_types.
      upgraded
          .spans()
          .write(
              List.of(
                  SpanBuilder.span(TENANT, Fixtures.traceId(1), Fixtures.spanId(2))
                      .name("new")
                      .start(T0 + seconds(1))
                      .resource("service.name", "svc")
                      .attributes(attributes)
                      .build()))
          .await()
          .atMost(PATIENCE);
      upgraded
          .logs()
          .write(
              List.of(
                  LogBuilder.log(TENANT, T0 + seconds(1))
                      .body("new")
                      .attributes(attributes)
                      .build()))
          .await()
          .atMost(PATIENCE);

      List<Span> trace =
          upgraded.spans().trace(TENANT, Fixtures.traceId(1)).await().atMost(PATIENCE);
      assertThat(trace).extracting(Span::name).containsExactly("old", "new");
      for (Span span : trace) {
        assertThat(entries(span.attributes())).containsExactlyElementsOf(entries(attributes));
      }
      List<LogRecord> logs =
          upgraded.logs().search(LogQuery.all(TENANT, 10)).await().atMost(PATIENCE);
      assertThat(logs).extracting(LogRecord::body).containsExactly("new", "old");
      for (LogRecord log : logs) {
        assertThat(entries(log.attributes())).containsExactlyElementsOf(entries(attributes));
      }
      // Both are found by an attribute.
      assertThat(
              upgraded
                  .spans()
                  .search(
                      new TraceQuery(
                          TENANT,
                          null,
                          null,
                          null,
                          null,
                          null,
                          null,
                          Map.of("string", "value"),
                          10))
                  .await()
                  .atMost(PATIENCE))
          .hasSize(1);
      assertThat(
              upgraded
                  .logs()
                  .search(
                      new LogQuery(
                          TENANT, null, null, null, null, Map.of("string", "value"), null, 10))
                  .await()
                  .atMost(PATIENCE))
          .hasSize(2);
      // The new rows ("new" sorts first) hold nothing in `attributes`; the old no types.
      for (String table : List.of(Schema.SPANS, Schema.LOGS)) {
        String order = table.equals(Schema.SPANS) ? "name" : "body_text";
        assertThat(
                ChdbServer.shared()
                    .select(
                        "SELECT attributes = '', attribute_types = '' FROM "
                            + schema.table(table)
                            + " ORDER BY "
                            + order
                            + " FORMAT TSV"))
            .containsExactly("1\t0", "0\t1");
      }
    } finally {
      upgraded.close();
    }
  }
}
