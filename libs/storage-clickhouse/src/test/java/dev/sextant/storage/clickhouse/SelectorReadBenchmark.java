package dev.sextant.storage.clickhouse;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.StepSampling;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A PromQL selector's read over a real ClickHouse (chDB 26.7 started by {@link ChdbServer}), for
 * the shapes dashboards and rules ask, three ways: whole sample rows of every point (the points
 * read as a selector read them before ADR 0018, without the series statement, ≈ 7 ms), the number
 * columns of every point ({@link StepSampling#ALL}), and the number columns of the points the
 * selector uses. Run by hand:
 *
 * <pre>
 * ./mvnw -o -q -pl libs/storage-clickhouse -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd libs/storage-clickhouse
 * java -cp "$(cat target/test-classpath.txt):target/classes:target/test-classes" \
 *     dev.sextant.storage.clickhouse.SelectorReadBenchmark 1000
 * </pre>
 *
 * <p>Arguments: series (counters, one point every 15 s for 24 hours), [rounds=5]. Prints, per
 * shape, each way's median time and points read, and whether the reads agree (the sampled one
 * exactly what {@link StepSampling#needed} keeps of the others).
 */
public final class SelectorReadBenchmark {
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final long SCRAPE_MS = 15_000;
  private static final long DAY_MS = 86_400_000L;
  private static final long MINUTE = 60_000;

  private record Shape(String name, long rangeMs, StepSampling sampling) {}

  public static void main(String[] args) throws Exception {
    int seriesCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long t0Ms = T0 / 1_000_000;
    long endMs = t0Ms + DAY_MS;
    List<Shape> shapes =
        List.of(
            new Shape(
                "x over 24 h, step 5 min (instant selector)",
                DAY_MS,
                StepSampling.latest(endMs, 5 * MINUTE, 5 * MINUTE)),
            new Shape(
                "rate(x[5m]) over 24 h, step 10 min",
                DAY_MS,
                StepSampling.windows(endMs, 10 * MINUTE, 5 * MINUTE)),
            new Shape(
                "x at one time (instant query)",
                5 * MINUTE,
                StepSampling.latest(endMs, 0, 5 * MINUTE)),
            new Shape(
                "x over 1 h, step 15 s (nothing to leave out)",
                3_600_000,
                StepSampling.latest(endMs, SCRAPE_MS, 5 * MINUTE)),
            new Shape(
                "rate(x[5m]) over 24 h, step 2 min (nothing to leave out)",
                DAY_MS,
                StepSampling.windows(endMs, 2 * MINUTE, 5 * MINUTE)));
    Path dir = Files.createTempDirectory("sextant-ch-bench");
    try (ChdbServer server = ChdbServer.start(dir.resolve("data"));
        ClickHouseStorage storage =
            ClickHouseStorage.builder().endpoint(server.endpoint()).database("bench").build()) {
      storage.start();
      Random random = new Random(1);
      List<MetricWrite> batch = new ArrayList<>();
      long points = 0;
      for (int i = 0; i < seriesCount; i++) {
        MetricSeries s =
            Fixtures.series("requests_total", MetricType.COUNTER, "pod", "pod-" + i, "code", "200");
        double value = 0;
        long jitter = random.nextInt(1000);
        for (long ms = t0Ms + jitter; ms <= endMs; ms += SCRAPE_MS) {
          value += random.nextInt(10);
          batch.add(new MetricWrite(s, new NumberPoint(T0, ms * 1_000_000 + 123, value)));
          points++;
          if (batch.size() == 50_000) {
            storage.metrics().write(batch).await().indefinitely();
            batch = new ArrayList<>();
          }
        }
      }
      storage.metrics().write(batch).await().indefinitely();
      storage.metrics().flush().await().indefinitely();
      ChdbServer.select(server.endpoint(), "OPTIMIZE TABLE bench.samples FINAL");
      System.out.printf(
          "%,d counters, %,d points (one every 15 s for 24 h), merged%n", seriesCount, points);

      for (Shape shape : shapes) {
        SeriesQuery query =
            new SeriesQuery(
                "acme",
                List.of(LabelMatcher.equal(LabelMatcher.METRIC_NAME, "requests_total")),
                new TimeRange(
                    (endMs - shape.rangeMs() - 5 * MINUTE) * 1_000_000, (endMs + 1) * 1_000_000));
        List<Long> ids =
            storage
                .metrics()
                .seriesPoints(query, StepSampling.ALL, x -> true)
                .await()
                .indefinitely()
                .stream()
                .map(sp -> sp.series().id())
                .toList();
        long[] before = new long[rounds];
        long[] whole = new long[rounds];
        long[] sampled = new long[rounds];
        // Each way in turn, after a collection and holding no earlier answer, so no way pays for
        // another's garbage; the answers are compared once afterwards.
        for (int r = 0; r < rounds; r++) {
          System.gc();
          long a = System.nanoTime();
          storage.metrics().points("acme", ids, query.range()).await().indefinitely();
          before[r] = System.nanoTime() - a;
          System.gc();
          long b = System.nanoTime();
          storage.metrics().seriesPoints(query, StepSampling.ALL, x -> true).await().indefinitely();
          whole[r] = System.nanoTime() - b;
          System.gc();
          long c = System.nanoTime();
          storage.metrics().seriesPoints(query, shape.sampling(), x -> true).await().indefinitely();
          sampled[r] = System.nanoTime() - c;
        }
        Map<Long, List<MetricPoint>> rows =
            storage.metrics().points("acme", ids, query.range()).await().indefinitely();
        List<SeriesPoints> all =
            storage
                .metrics()
                .seriesPoints(query, StepSampling.ALL, x -> true)
                .await()
                .indefinitely();
        List<SeriesPoints> some =
            storage
                .metrics()
                .seriesPoints(query, shape.sampling(), x -> true)
                .await()
                .indefinitely();
        Arrays.sort(before);
        Arrays.sort(whole);
        Arrays.sort(sampled);
        boolean exact = all.size() == some.size();
        for (int i = 0; exact && i < all.size(); i++) {
          List<MetricPoint> needed = shape.sampling().needed(all.get(i).points());
          exact =
              needed.equals(some.get(i).points())
                  && all.get(i).points().equals(rows.get(all.get(i).series().id()));
        }
        System.out.printf(
            "%-56s whole rows %7.1f ms | number columns: every point %7.1f ms (%,9d),"
                + " sampled %7.1f ms (%,9d) | exact: %s%n",
            shape.name(),
            before[rounds / 2] / 1e6,
            whole[rounds / 2] / 1e6,
            count(all),
            sampled[rounds / 2] / 1e6,
            count(some),
            exact);
      }
    }
  }

  private static long count(List<SeriesPoints> read) {
    return read.stream().mapToLong(sp -> sp.points().size()).sum();
  }
}
