package dev.sextant.storage.clickhouse;

import dev.sextant.model.Correlation;
import dev.sextant.model.Cost;
import dev.sextant.model.MetricEvent;
import dev.sextant.storage.EventStore;
import dev.sextant.storage.query.EventQuery;
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

/**
 * Mastra's metric percentiles over a real ClickHouse (chDB 26.7 started by {@link ChdbServer}),
 * computed in ClickHouse ({@link EventStore#percentiles}) against the events read and computed in
 * Java as the query service did before (at most {@link EventQuery#MAX_LIMIT} of them). Run by hand:
 *
 * <pre>
 * ./mvnw -o -q -pl libs/storage-clickhouse -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd libs/storage-clickhouse
 * java -cp "$(cat target/test-classpath.txt):target/classes:target/test-classes" \
 *     dev.sextant.storage.clickhouse.PercentilesBenchmark 1000000
 * </pre>
 *
 * <p>Arguments: metric events (spread over a day, one name, values of many magnitudes), [rounds=5].
 * Prints each way's median time and whether the answers agree.
 */
public final class PercentilesBenchmark {
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final long HOUR = 3_600_000_000_000L;

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
                Cost.NONE,
                ""));
        if (batch.size() == 50_000) {
          storage.metricEvents().write(batch).await().indefinitely();
          batch = new ArrayList<>();
        }
      }
      storage.metricEvents().write(batch).await().indefinitely();

      EventQuery query = EventQuery.named("acme", Set.of("latency_ms"), EventQuery.MAX_LIMIT);
      double[] levels = {0.5, 0.9, 0.99};
      long[] inClickHouse = new long[rounds];
      long[] inJava = new long[rounds];
      NavigableMap<Long, double[]> pushed = null;
      NavigableMap<Long, double[]> read = null;
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        pushed = storage.metricEvents().percentiles(query, HOUR, levels).await().indefinitely();
        long t1 = System.nanoTime();
        read =
            ValuePercentiles.of(
                storage.metricEvents().search(query).await().indefinitely(), HOUR, levels);
        long t2 = System.nanoTime();
        inClickHouse[r] = t1 - t0;
        inJava[r] = t2 - t1;
      }
      Arrays.sort(inClickHouse);
      Arrays.sort(inJava);
      long counted = 0;
      System.out.printf(
          "%,d events over 24 hours: in ClickHouse %.0f ms (every event, %d buckets);"
              + " read and computed in Java %.0f ms (the first %,d events: %d buckets)%n",
          count,
          inClickHouse[rounds / 2] / 1e6,
          pushed.size(),
          inJava[rounds / 2] / 1e6,
          Math.min(count, EventQuery.MAX_LIMIT),
          read.size());
      for (Map.Entry<Long, double[]> bucket : read.entrySet()) {
        if (Arrays.equals(bucket.getValue(), pushed.get(bucket.getKey()))) {
          counted++;
        }
      }
      System.out.printf(
          "buckets answered alike: %d of the %d the Java read reached%n", counted, read.size());
    }
  }
}
