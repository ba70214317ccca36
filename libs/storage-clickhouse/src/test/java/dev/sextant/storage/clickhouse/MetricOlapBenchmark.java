package dev.sextant.storage.clickhouse;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.MetricEvent;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.query.EventAggregation;
import dev.sextant.storage.query.EventQuery;
import dev.sextant.storage.query.EventSelection;
import dev.sextant.storage.query.EventTotals;
import dev.sextant.storage.query.ValuePercentiles;
import dev.sextant.storage.testkit.ChdbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Mastra's metric OLAP over a real ClickHouse (chDB 26.7 started by {@link ChdbServer}): each
 * request shape computed in ClickHouse ({@link EventStore#percentiles}, {@link EventStore#totals})
 * against the events read and computed in Java as the query service did before (at most {@link
 * EventQuery#MAX_LIMIT} of them). Run by hand:
 *
 * <pre>
 * ./mvnw -o -q -pl libs/storage-clickhouse -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd libs/storage-clickhouse
 * java -cp "$(cat target/test-classpath.txt):target/classes:target/test-classes" \
 *     dev.sextant.storage.clickhouse.MetricOlapBenchmark 1000000
 * </pre>
 *
 * <p>Arguments: metric events (spread over a day, one name, values of many magnitudes, a status
 * label, three models with costs), [rounds=5]. Prints each shape's median times and how many of the
 * Java read's rows the ClickHouse answer has alike.
 */
public final class MetricOlapBenchmark {
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final long HOUR = 3_600_000_000_000L;
  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude"};

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("sextant-ch-bench");
    try (ChdbServer server = ChdbServer.start(dir.resolve("data"));
        ClickHouseStorage storage =
            ClickHouseStorage.builder().endpoint(server.endpoint()).database("bench").build()) {
      storage.start();
      Random random = new Random(1);
      List<MetricEvent> batch = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String model = MODELS[random.nextInt(MODELS.length)];
        batch.add(
            new MetricEvent(
                "acme",
                "e" + i,
                T0 + (long) (random.nextDouble() * 24 * HOUR),
                "latency_ms",
                random.nextGaussian() * Math.pow(10, random.nextInt(4)),
                Map.of("status", i % 10 == 0 ? "error" : "ok"),
                "",
                "",
                Correlation.NONE,
                new Cost(
                    model.startsWith("gpt") ? "openai" : "anthropic",
                    model,
                    random.nextDouble() * 1e-3,
                    "USD",
                    ""),
                ""));
        if (batch.size() == 50_000) {
          storage.metricEvents().write(batch).await().indefinitely();
          batch = new ArrayList<>();
        }
      }
      storage.metricEvents().write(batch).await().indefinitely();

      EventStore<MetricEvent> events = storage.metricEvents();
      EventQuery query = EventQuery.named("acme", Set.of("latency_ms"), EventQuery.MAX_LIMIT);
      Supplier<List<MetricEvent>> read = () -> events.search(query).await().indefinitely();
      System.out.printf(
          "%,d metric events over 24 hours; in ClickHouse over every event, read and computed in"
              + " Java over the first %,d%n",
          count, Math.min(count, EventQuery.MAX_LIMIT));

      double[] levels = {0.5, 0.9, 0.99};
      compare(
          "percentiles p50/p90/p99 per hour",
          rounds,
          () -> events.percentiles(EventSelection.of(query), HOUR, levels).await().indefinitely(),
          () -> ValuePercentiles.of(read.get(), HOUR, levels),
          (NavigableMap<Long, double[]> m) ->
              m.entrySet().stream().map(e -> e.getKey() + Arrays.toString(e.getValue())).toList());
      for (EventAggregation aggregation :
          List.of(
              EventAggregation.total(query),
              new EventAggregation(query, null, null, 0, List.of("model", "status"), null),
              new EventAggregation(query, null, null, HOUR, List.of("model"), null),
              new EventAggregation(query, "openai", null, HOUR, List.of(), null))) {
        compare(
            "totals "
                + (aggregation.bucketNanos() == 0 ? "" : "per hour ")
                + "by "
                + aggregation.groupBy()
                + (aggregation.provider() == null ? "" : " of provider " + aggregation.provider()),
            rounds,
            () -> events.totals(aggregation).await().indefinitely(),
            () ->
                EventTotals.of(
                    read.get().stream().filter(aggregation::selects).toList(), aggregation),
            (List<EventTotals> t) -> t.stream().map(EventTotals::toString).toList());
      }
    }
  }

  private static <T> void compare(
      String shape,
      int rounds,
      Supplier<T> inClickHouse,
      Supplier<T> inJava,
      Function<T, List<String>> rows) {
    long[] pushed = new long[rounds];
    long[] read = new long[rounds];
    T fromClickHouse = null;
    T fromJava = null;
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      fromClickHouse = inClickHouse.get();
      long t1 = System.nanoTime();
      fromJava = inJava.get();
      long t2 = System.nanoTime();
      pushed[r] = t1 - t0;
      read[r] = t2 - t1;
    }
    Arrays.sort(pushed);
    Arrays.sort(read);
    List<String> javaRows = rows.apply(fromJava);
    List<String> clickHouseRows = rows.apply(fromClickHouse);
    long alike = javaRows.stream().filter(clickHouseRows::contains).count();
    System.out.printf(
        "%-45s ClickHouse %6.0f ms (%d rows)   Java %6.0f ms (%d rows, %d alike)%n",
        shape,
        pushed[rounds / 2] / 1e6,
        clickHouseRows.size(),
        read[rounds / 2] / 1e6,
        javaRows.size(),
        alike);
  }
}
