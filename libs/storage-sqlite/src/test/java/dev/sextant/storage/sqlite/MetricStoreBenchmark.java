package dev.sextant.storage.sqlite;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Temporality;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.testkit.TempDirs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A benchmark of the SQLite metric store, run by hand (not a unit test):
 *
 * <pre>
 * ./mvnw -o -q -pl libs/storage-sqlite -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * cd libs/storage-sqlite
 * java -Xmx1g --enable-native-access=ALL-UNNAMED \
 *     -cp "$(cat target/test-classpath.txt):target/classes:target/test-classes" \
 *     dev.sextant.storage.sqlite.MetricStoreBenchmark write 100000 60
 * java ... MetricStoreBenchmark read 1000 24
 * </pre>
 *
 * <p>{@code write <series> <seconds>}: two producer threads write batches of 5,000 points through
 * the SPI, as the aggregator does, over {@code series} active series (half counters, half gauges,
 * five labels each), every series getting a point per 10 s of data time, as fast as the store takes
 * them, for {@code seconds} after a warm-up; prints points per second, the writer's head, the heap
 * and RSS, and file growth. {@code read <series> <hours>}: stores that many hours of those series
 * at a 10 s step, then times points() and rollups() for one series over 1 h and 24 h and for every
 * series over 1 h.
 */
public final class MetricStoreBenchmark {
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final long STEP = 10_000_000_000L;
  private static final int BATCH = 5_000;
  private static final int PRODUCERS = 2;
  private static final int IN_FLIGHT = 4;

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "write";
    int seriesCount = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int amount = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    Path dir = Files.createTempDirectory("sextant-metric-bench");
    try (SqliteStorage storage = SqliteStorage.builder().dataDir(dir).build()) {
      storage.start();
      await(storage.metrics().startWriting());
      List<MetricSeries> series = series(seriesCount);
      switch (mode) {
        case "write" -> write(storage, dir, series, amount);
        case "read" -> read(storage, series, amount);
        default -> throw new IllegalArgumentException("mode is write or read");
      }
    } finally {
      TempDirs.deleteQuietly(dir);
    }
  }

  private static List<MetricSeries> series(int count) {
    List<MetricSeries> series = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean counter = i % 2 == 0;
      series.add(
          new MetricSeries(
              "acme",
              counter ? "http_server_requests_total" : "process_resident_memory_bytes",
              Labels.of(
                  "service",
                  "svc-" + (i % 50),
                  "instance",
                  "10.0." + (i / 250 % 250) + "." + (i % 250),
                  "route",
                  "/api/v" + (i % 3) + "/items",
                  "code",
                  i % 7 == 0 ? "500" : "200",
                  "shard",
                  Integer.toString(i)),
              counter ? MetricType.COUNTER : MetricType.GAUGE,
              counter ? Temporality.CUMULATIVE : Temporality.NONE,
              counter ? "1" : "By",
              ""));
    }
    return series;
  }

  /** The value of a series at a step: counters climb by a few, gauges wander. */
  private static double value(int seriesIndex, long step, SplittableRandom random) {
    if (seriesIndex % 2 == 0) {
      return step * 3 + (seriesIndex % 11) + (random.nextInt(4) == 0 ? 1 : 0);
    }
    return 100_000_000 + random.nextInt(1_000_000);
  }

  // ------------------------------------------------------------------ write

  private static void write(SqliteStorage storage, Path dir, List<MetricSeries> series, int seconds)
      throws Exception {
    long[] nextStep = {0};
    System.out.printf(
        "write: %,d series, %d producers, batches of %,d, %d in flight each%n",
        series.size(), PRODUCERS, BATCH, IN_FLIGHT);
    long baseline = liveHeapMb();
    run(storage, series, nextStep, 10, "warm-up");
    long bytesBefore = size(dir);
    long processCpu = processCpuNanos();
    long start = System.nanoTime();
    long points = run(storage, series, nextStep, seconds, "measured");
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "measured: %,d points in %.1f s = %,.0f points/s; process CPU %.2f us/point%n",
        points, elapsed, points / elapsed, (processCpuNanos() - processCpu) / 1e3 / points);
    System.out.printf(
        "head now %,d points; heap used %,d MB; RSS %,d MB; files grew %,d MB (%.2f bytes/point)%n",
        storage.metricsForTest().head().points(),
        usedHeapMb(),
        rssMb(),
        (size(dir) - bytesBefore) >> 20,
        (double) (size(dir) - bytesBefore) / points);
    System.out.printf(
        "live heap after GC %,d MB, of which the benchmark's own series objects %,d MB%n",
        liveHeapMb(), baseline);
    long flushStart = System.nanoTime();
    await(storage.metrics().flush());
    System.out.printf("final flush %.0f ms%n", (System.nanoTime() - flushStart) / 1e6);
    storage.awaitMetricCompaction();
    describe(dir);
  }

  /** Where the bytes of metrics.db are: pages used and free, and the payload per table. */
  private static void describe(Path dir) throws Exception {
    Path file = dir.resolve("metrics.db");
    System.out.printf(
        "metrics.db %,d MB (%,d free pages of %,d), wal file %,d MB%n",
        Files.size(file) >> 20,
        SqliteFiles.count(file, "PRAGMA freelist_count"),
        SqliteFiles.count(file, "PRAGMA page_count"),
        Files.exists(dir.resolve("metrics.db-wal"))
            ? Files.size(dir.resolve("metrics.db-wal")) >> 20
            : 0);
    for (String table : List.of("wal", "chunks", "rollups_1m", "rollups_1h")) {
      System.out.printf(
          "  %-10s %,d rows, %,d MB of data%n",
          table,
          SqliteFiles.count(file, "SELECT count(*) FROM " + table),
          SqliteFiles.count(file, "SELECT coalesce(sum(length(data)), 0) FROM " + table) >> 20);
    }
    System.out.printf(
        "  blocks by level: %s%n",
        SqliteFiles.text(
            file,
            "SELECT group_concat(level || ':' || n) FROM (SELECT level, count(*) n FROM blocks GROUP BY level)"));
  }

  /** Writes steps of every series until {@code seconds} passed; returns points written. */
  private static long run(
      SqliteStorage storage, List<MetricSeries> series, long[] nextStep, int seconds, String label)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long written = 0;
    long reportAt = System.nanoTime() + 5_000_000_000L;
    long reported = 0;
    long reportStart = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long step = nextStep[0]++;
      written += writeStep(storage, series, step);
      if (System.nanoTime() > reportAt) {
        long now = System.nanoTime();
        System.out.printf(
            "  %s: %,.0f points/s, head %,d points, heap %,d MB%n",
            label,
            (written - reported) / ((now - reportStart) / 1e9),
            storage.metricsForTest().head().points(),
            usedHeapMb());
        reported = written;
        reportStart = now;
        reportAt = now + 5_000_000_000L;
      }
    }
    return written;
  }

  /** One step (10 s of data) of every series, split between the producers. */
  private static long writeStep(SqliteStorage storage, List<MetricSeries> series, long step)
      throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> producers = new ArrayList<>();
    int share = series.size() / PRODUCERS;
    for (int p = 0; p < PRODUCERS; p++) {
      int from = p * share;
      int to = p == PRODUCERS - 1 ? series.size() : from + share;
      producers.add(
          Thread.ofPlatform()
              .name("producer-" + p)
              .start(() -> produce(storage, series, from, to, step, failure)));
    }
    for (Thread producer : producers) {
      producer.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a write failed", failure.get());
    }
    return series.size();
  }

  private static void produce(
      SqliteStorage storage,
      List<MetricSeries> series,
      int from,
      int to,
      long step,
      AtomicReference<Throwable> failure) {
    Semaphore permits = new Semaphore(IN_FLIGHT);
    SplittableRandom random = new SplittableRandom(step * 31 + from);
    long time = T0 + step * STEP;
    for (int first = from; first < to && failure.get() == null; first += BATCH) {
      List<MetricWrite> batch = new ArrayList<>(BATCH);
      for (int i = first; i < Math.min(to, first + BATCH); i++) {
        // Scrapes are a few milliseconds apart within a step, as real ones are.
        long jitter = (i % 1000) * 1_000_000L;
        batch.add(
            new MetricWrite(
                series.get(i),
                new NumberPoint(i % 2 == 0 ? T0 : 0, time + jitter, value(i, step, random))));
      }
      permits.acquireUninterruptibly();
      CompletableFuture<Void> write = storage.metrics().write(batch).subscribeAsCompletionStage();
      write.whenComplete(
          (ok, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            }
            permits.release();
          });
    }
    permits.acquireUninterruptibly(IN_FLIGHT);
  }

  // ------------------------------------------------------------------ read

  /**
   * Stores the hours as they would arrive in real time: every 10 s step in five parts, each flushed
   * on its own (a 2 s flush interval at a 10 s cadence), so the blocks and their compaction levels
   * are those of a day of real traffic.
   */
  private static void read(SqliteStorage storage, List<MetricSeries> series, int hours)
      throws Exception {
    // 173 steps more than the hours: 865 flushes that leave blocks at every level, as a running
    // store has them, rather than a count that compacts evenly into the top level.
    long steps = hours * 360L + 173;
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(7);
    for (long step = 0; step < steps; step++) {
      for (int part = 0; part < 5; part++) {
        List<MetricWrite> batch = new ArrayList<>();
        for (int i = part; i < series.size(); i += 5) {
          long time = T0 + step * STEP + part * 2_000_000_000L + i * 1_000_000L;
          batch.add(
              new MetricWrite(
                  series.get(i),
                  new NumberPoint(i % 2 == 0 ? T0 : 0, time, value(i, step, random))));
        }
        await(storage.metrics().write(batch));
        await(storage.metrics().flush());
      }
    }
    storage.awaitMetricCompaction();
    System.out.printf(
        "read: stored %,d series x %d h %d min at a 10 s step (%,d points, 5 flushes a step) in %.0f"
            + " s%n",
        series.size(),
        steps / 360,
        steps % 360 / 6,
        series.size() * steps,
        (System.nanoTime() - start) / 1e9);
    describe(storage.dataDir());
    long end = T0 + steps * STEP;
    TimeRange lastHour = new TimeRange(end - 3600 * 1_000_000_000L, end);
    TimeRange all = new TimeRange(end - hours * 3600 * 1_000_000_000L, end);
    MetricSeries one = series.get(series.size() / 2 + 1);
    for (int round = 0; round < 3; round++) {
      time("points, 1 series, 1 h", 200, () -> points(storage, one, lastHour));
      time("points, 1 series, " + hours + " h", 20, () -> points(storage, one, all));
      time(
          "rollups 1m, 1 series, " + hours + " h",
          20,
          () -> rollups(storage, one, RollupTier.ONE_MINUTE, all));
      time(
          "rollups 1h, 1 series, " + hours + " h",
          20,
          () -> rollups(storage, one, RollupTier.ONE_HOUR, all));
      time(
          "points, " + series.size() + " series, 1 h",
          1,
          () -> {
            long n = 0;
            for (MetricSeries s : series) {
              n += points(storage, s, lastHour);
            }
            return n;
          });
    }
  }

  private static long points(SqliteStorage storage, MetricSeries series, TimeRange range) {
    List<MetricPoint> points = await(storage.metrics().points("acme", series.id(), range));
    return points.size();
  }

  private static long rollups(
      SqliteStorage storage, MetricSeries series, RollupTier tier, TimeRange range) {
    List<Rollup> rollups = await(storage.metrics().rollups("acme", series.id(), tier, range));
    return rollups.size();
  }

  private interface Timed {
    long run();
  }

  private static void time(String label, int repeat, Timed body) {
    long[] nanos = new long[repeat];
    long items = 0;
    for (int i = 0; i < repeat; i++) {
      long start = System.nanoTime();
      items = body.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "  %-32s %,9d items: median %8.2f ms, max %8.2f ms%n",
        label, items, nanos[repeat / 2] / 1e6, nanos[repeat - 1] / 1e6);
  }

  // ------------------------------------------------------------------ helpers

  private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
    return uni.await().atMost(Duration.ofMinutes(5));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long liveHeapMb() {
    System.gc();
    return usedHeapMb();
  }

  private static long usedHeapMb() {
    Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
  }

  private static long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (IOException e) {
      // Not Linux: report nothing.
    }
    return -1;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("metrics"))
          .mapToLong(f -> f.toFile().length())
          .sum();
    }
  }
}
