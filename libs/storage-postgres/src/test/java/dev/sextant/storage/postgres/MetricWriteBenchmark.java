package dev.sextant.storage.postgres;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.testkit.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The PostgreSQL metric write path, run by hand (not a unit test), on a throwaway cluster of its
 * own ({@link TestPostgres}):
 *
 * <pre>
 * ./mvnw -o -q -pl libs/storage-postgres -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd libs/storage-postgres
 * java -Xmx1g -cp "$(cat target/test-classpath.txt):target/classes:target/test-classes" \
 *     dev.sextant.storage.postgres.MetricWriteBenchmark 10000 60
 * </pre>
 *
 * <p>{@code [realtime] <series> <seconds> [<points/s>]}: one producer writes batches of 5,000
 * points through the SPI with four writes in flight, as the aggregator does, over {@code series}
 * series (half counters, half gauges), every series getting a point per 10 s of data time, for
 * {@code seconds} — as fast as the store takes them, or with {@code realtime} a round of points
 * every 10 s of wall time (or, given a rate, a round as often as the rate needs, in data time as in
 * wall time) —; then flushes and prints points per second (acknowledged, and readable after the
 * last flush), the time of one series' one-hour and 24-hour rollup reads, and the size of the chunk
 * and rollup tables.
 */
public final class MetricWriteBenchmark {
  /** An hour ago, on the hour: the data lands in the daily partitions created ahead. */
  private static final long T0 =
      (System.currentTimeMillis() / 3_600_000L - 1) * 3_600_000L * 1_000_000L;

  private static final long STEP = 10_000_000_000L;
  private static final int BATCH = 5_000;
  private static final int IN_FLIGHT = 4;

  public static void main(String[] args) throws Exception {
    boolean realTime = args.length > 0 && args[0].equals("realtime");
    int first = realTime ? 1 : 0;
    int seriesCount = args.length > first ? Integer.parseInt(args[first]) : 10_000;
    int seconds = args.length > first + 1 ? Integer.parseInt(args[first + 1]) : 60;
    // In real time, a round of every series each STEP by default, or as often as the rate asks.
    long step =
        realTime && args.length > first + 2
            ? Math.max(1, (long) (seriesCount * 1e9 / Double.parseDouble(args[first + 2])))
            : STEP;
    List<MetricSeries> series = new ArrayList<>(seriesCount);
    for (int i = 0; i < seriesCount; i++) {
      MetricType type = i % 2 == 0 ? MetricType.COUNTER : MetricType.GAUGE;
      series.add(
          new MetricSeries(
              "bench",
              i % 2 == 0 ? "requests_total" : "queue_depth",
              Labels.of("service.name", "svc" + (i % 50), "instance", "i" + i),
              type,
              type == MetricType.COUNTER ? Temporality.CUMULATIVE : Temporality.NONE,
              "1",
              ""));
    }
    PostgresStorage storage =
        PostgresStorage.builder().url(TestPostgres.shared().url()).schema("bench").build();
    storage.start();
    try {
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long written = 0;
      long round = 0;
      long start = System.nanoTime();
      long end = start + Duration.ofSeconds(seconds).toNanos();
      int next = 0;
      while (System.nanoTime() < end && failure.get() == null) {
        if (realTime) {
          // Every series a point per 10 s of wall time: the next round starts when it is due.
          long due = start + round * step;
          long wait = due - System.nanoTime();
          if (next == 0 && wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        List<MetricWrite> batch = new ArrayList<>(BATCH);
        while (batch.size() < BATCH) {
          if (realTime && next == 0 && !batch.isEmpty()) {
            break;
          }
          MetricSeries s = series.get(next);
          long time = (realTime ? T0 + round * step : T0 + round * STEP) + next;
          double value = s.type() == MetricType.COUNTER ? round * 3.0 : next % 17;
          batch.add(new MetricWrite(s, new NumberPoint(T0, time, value)));
          if (++next == seriesCount) {
            next = 0;
            round++;
          }
        }
        inFlight.acquire();
        CompletableFuture<Void> write =
            storage.metrics().write(batch).subscribeAsCompletionStage().toCompletableFuture();
        write.whenComplete(
            (ok, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              }
              inFlight.release();
            });
        written += batch.size();
      }
      inFlight.acquire(IN_FLIGHT);
      long acknowledged = System.nanoTime();
      storage.metrics().flush().await().atMost(Duration.ofMinutes(30));
      long readable = System.nanoTime();
      if (failure.get() != null) {
        throw new IllegalStateException("a write failed", failure.get());
      }
      System.out.printf(
          "%d points over %d series in %.1f s: %.0f points/s acknowledged, %.0f points/s"
              + " readable (last flush %.1f s)%n",
          written,
          seriesCount,
          (acknowledged - start) / 1e9,
          written / ((acknowledged - start) / 1e9),
          written / ((readable - start) / 1e9),
          (readable - acknowledged) / 1e9);
      MetricSeries one = series.getFirst();
      for (long hours : new long[] {1, 24}) {
        TimeRange range = new TimeRange(T0, T0 + hours * 3_600_000_000_000L);
        long t = System.nanoTime();
        int windows = 0;
        for (int i = 0; i < 20; i++) {
          windows =
              storage
                  .metrics()
                  .rollups("bench", one.id(), RollupTier.ONE_MINUTE, range)
                  .await()
                  .atMost(Duration.ofMinutes(1))
                  .size();
        }
        System.out.printf(
            "rollups() 1 m, 1 series, %d h: %d windows, %.2f ms%n",
            hours, windows, (System.nanoTime() - t) / 20 / 1e6);
      }
      for (String table : List.of("metric_chunks", "metric_rollups_1m", "metric_rollups_1h")) {
        System.out.println(
            table
                + ": "
                + TestPostgres.shared()
                    .superuserSql(
                        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) / 1048576 || ' MB'"
                            + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                            + " JOIN pg_class p ON p.oid = i.inhparent"
                            + " JOIN pg_namespace n ON n.oid = p.relnamespace"
                            + " WHERE n.nspname = 'bench' AND p.relname = '"
                            + table
                            + "'")
                    .strip());
      }
    } finally {
      storage.close();
    }
  }
}
