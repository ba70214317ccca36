package dev.sextant.storage.sqlite;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.CallerReads;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.RandomSamples;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the SQLite metric store adds to the SPI's contract: the write-ahead log across crashes, the
 * writer lease between processes, compaction and rolled-up rollups, series rows kept lazily.
 */
class SqliteMetricStoreTest {
  @TempDir Path dataDir;

  private final List<SqliteStorage> opened = new ArrayList<>();

  /** What the store must hold: per series, the last point written at each time. */
  private final Map<MetricSeries, NavigableMap<Long, MetricPoint>> expected = new LinkedHashMap<>();

  @AfterEach
  void closeAll() {
    opened.forEach(SqliteStorage::close);
  }

  private SqliteStorage open(SqliteStorage.Builder builder) {
    SqliteStorage storage = builder.build();
    storage.start();
    opened.add(storage);
    return storage;
  }

  /** No flush on its own during a test: only flush() and the tests decide. */
  private SqliteStorage open() {
    return open(SqliteStorage.builder().dataDir(dataDir).metricFlushInterval(Duration.ofHours(1)));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(30));
  }

  private void write(MetricStore metrics, List<MetricWrite> writes) {
    await(metrics.write(writes));
    for (MetricWrite w : writes) {
      expected
          .computeIfAbsent(w.series(), s -> new TreeMap<>())
          .put(w.point().timeUnixNanos(), w.point());
    }
  }

  private static MetricSeries counter(String name) {
    return Fixtures.series(name, MetricType.COUNTER, "job", "api");
  }

  private static List<MetricWrite> counting(MetricSeries series, int from, int count) {
    List<MetricWrite> writes = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      writes.add(new MetricWrite(series, new NumberPoint(T0, T0 + seconds(10L * i), i)));
    }
    return writes;
  }

  /** Every series reads back as written, and its rollups equal the reference over its points. */
  private void assertStoredAsWritten(MetricStore metrics) {
    for (Map.Entry<MetricSeries, NavigableMap<Long, MetricPoint>> e : expected.entrySet()) {
      MetricSeries series = e.getKey();
      List<MetricPoint> points = List.copyOf(e.getValue().values());
      assertThat(await(metrics.points(series.tenant(), series.id(), TimeRange.ALL)))
          .as(series.name())
          .isEqualTo(points);
      for (RollupTier tier : RollupTier.values()) {
        assertThat(await(metrics.rollups(series.tenant(), series.id(), tier, TimeRange.ALL)))
            .as("%s %s", series.name(), tier)
            .isEqualTo(Rollups.compute(tier, null, points));
      }
    }
    assertThat(await(metrics.series(new SeriesQuery(TENANT, List.of(), TimeRange.ALL))))
        .containsExactlyInAnyOrderElementsOf(
            expected.keySet().stream().filter(s -> s.tenant().equals(TENANT)).toList());
  }

  private long count(String sql) throws SQLException {
    return SqliteFiles.count(dataDir.resolve("metrics.db"), sql);
  }

  @Test
  void aCallerThatWaitsForItsReadsRunsThemOnItsOwnThreadWithTheSameAnswers() throws Exception {
    MetricStore metrics = open().metrics();
    MetricSeries requests = counter("requests");
    write(metrics, counting(requests, 0, 300));
    await(metrics.flush());
    SeriesQuery query =
        new SeriesQuery(TENANT, List.of(), new TimeRange(T0 + seconds(100), T0 + seconds(400)));
    List<Thread> readOn = new ArrayList<>();
    Predicate<MetricSeries> recordThread =
        s -> {
          readOn.add(Thread.currentThread());
          return true;
        };

    List<SeriesPoints> handedOver = await(metrics.seriesPoints(query, recordThread));
    List<SeriesPoints> here =
        CallerReads.run(() -> await(metrics.seriesPoints(query, recordThread)));
    // Marked threads beyond the caller connections have their reads handed over instead.
    ExecutorService callers = Executors.newFixedThreadPool(6);
    List<Future<List<SeriesPoints>>> many = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      many.add(
          callers.submit(
              () -> CallerReads.run(() -> await(metrics.seriesPoints(query, s -> true)))));
    }

    assertThat(readOn.get(0)).isNotEqualTo(Thread.currentThread());
    assertThat(readOn.get(1)).isEqualTo(Thread.currentThread());
    assertThat(here).isEqualTo(handedOver);
    assertThat(here.getFirst().points()).hasSize(30);
    for (Future<List<SeriesPoints>> f : many) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(handedOver);
    }
    callers.shutdown();
    assertThat(CallerReads.allowed()).isFalse();
  }

  @Test
  void aThreadThatMustNotWaitReadsAtOnceOrAbandonsTheReadNeverHandingItOver() throws Exception {
    MetricStore metrics = open().metrics();
    assertThat(metrics.readsCompleteOnCaller()).isTrue();
    MetricSeries requests = counter("requests");
    write(metrics, counting(requests, 0, 300));
    await(metrics.flush());
    SeriesQuery query =
        new SeriesQuery(TENANT, List.of(), new TimeRange(T0 + seconds(100), T0 + seconds(400)));
    List<SeriesPoints> expected = await(metrics.seriesPoints(query, s -> true));

    // Within its budget: answered on subscription, on this thread.
    List<Thread> readOn = new ArrayList<>();
    CompletableFuture<List<SeriesPoints>> inBudget =
        CallerReads.runWithin(
            TimeUnit.SECONDS.toNanos(10),
            () ->
                metrics
                    .seriesPoints(
                        query,
                        s -> {
                          readOn.add(Thread.currentThread());
                          return true;
                        })
                    .subscribeAsCompletionStage());
    assertThat(inBudget).isCompletedWithValue(expected);
    assertThat(readOn).containsOnly(Thread.currentThread());

    // A spent budget gives the read up in its loops, as Abandoned rather than a storage error.
    CompletableFuture<List<SeriesPoints>> spent =
        CallerReads.runWithin(
            0, () -> metrics.seriesPoints(query, s -> true).subscribeAsCompletionStage());
    assertThat(spent).isCompletedExceptionally();
    assertThatThrownBy(spent::join).hasCauseInstanceOf(CallerReads.Abandoned.class);

    // Every caller connection busy (two reads held inside their series test): abandoned at once,
    // not queued for a reader thread.
    CountDownLatch holding = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService holders = Executors.newFixedThreadPool(2);
    List<Future<List<SeriesPoints>>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(
          holders.submit(
              () ->
                  CallerReads.run(
                      () ->
                          await(
                              metrics.seriesPoints(
                                  query,
                                  s -> {
                                    holding.countDown();
                                    awaitLatch(release);
                                    return true;
                                  })))));
    }
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<List<SeriesPoints>> busy =
        CallerReads.runWithin(
            TimeUnit.SECONDS.toNanos(10),
            () -> metrics.seriesPoints(query, s -> true).subscribeAsCompletionStage());
    release.countDown();
    assertThat(busy).isCompletedExceptionally();
    assertThatThrownBy(busy::join).hasCauseInstanceOf(CallerReads.Abandoned.class);
    for (Future<List<SeriesPoints>> f : held) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
    }
    holders.shutdown();
    assertThat(CallerReads.mustNotWait()).isFalse();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aCrashLosesNoAcknowledgedWriteTheNextWriterReplaysTheLog() throws Exception {
    SqliteStorage crashed = open();
    write(crashed.metrics(), counting(counter("replayed_total"), 0, 100));
    await(crashed.metrics().flush());
    write(crashed.metrics(), counting(counter("replayed_total"), 100, 50));
    write(crashed.metrics(), counting(counter("unflushed_total"), 0, 30));
    crashed.closeWithoutFlush();
    opened.remove(crashed);
    assertThat(count("SELECT count(*) FROM wal")).isEqualTo(2);

    SqliteStorage next = open();
    await(next.metrics().startWriting());

    assertStoredAsWritten(next.metrics());
    assertThat(count("SELECT count(*) FROM wal")).isZero();
  }

  @Test
  void aReaderSeesFlushedPointsAndNeverTakesTheLease() throws Exception {
    SqliteStorage writer = open();
    write(writer.metrics(), counting(counter("shared_total"), 0, 20));
    await(writer.metrics().flush());
    SqliteStorage reader = open();

    assertStoredAsWritten(reader.metrics());
    assertThat(reader.metricsForTest().lease().isOwner()).isFalse();
    assertThat(count("SELECT session FROM writer"))
        .isEqualTo(writer.metricsForTest().lease().session());
  }

  @Test
  void writesOfAProcessWithoutTheLeaseReachTheHolder() throws Exception {
    SqliteStorage holder = open();
    await(holder.metrics().startWriting());
    SqliteStorage other = open();

    write(other.metrics(), counting(counter("from_other_total"), 0, 10));
    write(holder.metrics(), counting(counter("from_holder_total"), 0, 10));
    assertThat(other.metricsForTest().lease().isOwner()).isFalse();
    // The other process's flush waits for the holder's; the holder flushes on its own.
    var flushed = other.metrics().flush().subscribeAsCompletionStage();
    await(holder.metrics().flush());
    flushed.get();

    assertStoredAsWritten(other.metrics());
  }

  @Test
  void startWritingTakesTheLeaseAndTheFormerHolderStopsFlushing() throws Exception {
    SqliteStorage first = open();
    write(first.metrics(), counting(counter("handed_over_total"), 0, 30));
    await(first.metrics().flush());
    write(first.metrics(), counting(counter("handed_over_total"), 30, 30));

    SqliteStorage second = open();
    await(second.metrics().startWriting());
    // The former holder learns it lost the lease at its next flush and drops its head; what it
    // writes from then on goes through the log to the new holder.
    await(first.metrics().flush());
    assertThat(first.metricsForTest().lease().isOwner()).isFalse();
    write(first.metrics(), counting(counter("handed_over_total"), 60, 30));
    await(second.metrics().flush());

    assertStoredAsWritten(second.metrics());
    assertThat(count("SELECT count(*) FROM wal")).isZero();
  }

  @Test
  void compactionMergesLevelsAndRollsUpLateAndReplacedPointsExactly() throws Exception {
    SqliteStorage storage =
        open(
            SqliteStorage.builder()
                .dataDir(dataDir)
                .metricFlushInterval(Duration.ofHours(1))
                .metricCompactionFanIn(2));
    RandomSamples random = new RandomSamples(17);
    List<MetricWrite> all = new ArrayList<>();
    for (MetricType type : MetricType.values()) {
      MetricSeries one = Fixtures.series("compacted_" + type.name().toLowerCase(), type);
      for (MetricPoint p : random.series(type, T0 - seconds(3000), seconds(7), 1500)) {
        all.add(new MetricWrite(one, p));
      }
    }
    for (int from = 0; from < all.size(); from += 400) {
      write(storage.metrics(), all.subList(from, Math.min(all.size(), from + 400)));
      await(storage.metrics().flush());
      storage.awaitMetricCompaction();
    }
    // Late points and replacements of points rolled up long ago, across several flushes.
    for (int round = 0; round < 6; round++) {
      List<MetricWrite> late = new ArrayList<>();
      for (int i = round; i < all.size(); i += 97) {
        MetricWrite old = all.get(i);
        long time = old.point().timeUnixNanos() + (round % 2 == 0 ? 0 : 1);
        MetricPoint replaced = random.series(old.series().type(), time, 1, 1).getFirst();
        late.add(new MetricWrite(old.series(), replaced));
      }
      write(storage.metrics(), late);
      await(storage.metrics().flush());
      storage.awaitMetricCompaction();
    }
    // Two more flushes of new points push the late ones out of level 0: every earlier window is
    // then read from stored rollups, none recomputed from points.
    for (int round = 0; round < 2; round++) {
      MetricSeries recent = Fixtures.series("recent_" + round, MetricType.GAUGE);
      write(
          storage.metrics(),
          List.of(new MetricWrite(recent, new NumberPoint(0, T0 + seconds(20_000 + round), 1))));
      await(storage.metrics().flush());
      storage.awaitMetricCompaction();
    }

    assertThat(count("SELECT min(min_time) FROM blocks WHERE level = 0"))
        .isGreaterThanOrEqualTo(T0 + seconds(20_000));
    assertThat(count("SELECT count(*) FROM blocks WHERE level >= 2")).isPositive();
    assertThat(count("SELECT count(*) FROM rollups_1m")).isPositive();
    assertThat(count("SELECT count(*) FROM blocks WHERE ready = 0")).isZero();
    assertThat(count("SELECT count(*) FROM garbage")).isZero();
    assertStoredAsWritten(storage.metrics());
  }

  @Test
  void seriesRowsChangeOnlyWhenAPointPassesTheirBound() throws Exception {
    SqliteStorage storage = open();
    MetricSeries series = counter("steady_total");
    write(storage.metrics(), counting(series, 0, 1));
    await(storage.metrics().flush());
    long bound = count("SELECT last_bound FROM series");
    for (int i = 1; i < 20; i++) {
      write(storage.metrics(), counting(series, i, 1));
      await(storage.metrics().flush());
    }

    // 20 points 10 s apart stay within the 5-minute bound: the row kept its first values.
    assertThat(count("SELECT last_bound FROM series")).isEqualTo(bound);
    assertThat(count("SELECT last_time FROM series")).isEqualTo(T0);
    // Reads stay exact: the newest points are found in the blocks.
    TimeRange lastPoint = new TimeRange(T0 + seconds(190), T0 + seconds(191));
    assertThat(await(storage.metrics().series(new SeriesQuery(TENANT, List.of(), lastPoint))))
        .containsExactly(series);
    assertThat(
            await(
                storage
                    .metrics()
                    .series(
                        new SeriesQuery(
                            TENANT,
                            List.of(),
                            new TimeRange(T0 + seconds(191), T0 + seconds(999))))))
        .isEmpty();
  }

  @Test
  void latestPointsCombineTheHeadAndWhatIsStored() throws Exception {
    SqliteStorage first = open();
    MetricSeries series = counter("latest_total");
    write(first.metrics(), counting(series, 0, 5));
    first.close();
    opened.remove(first);

    SqliteStorage next = open();
    Map<Long, MetricPoint> stored =
        await(next.metrics().latestPoints(TENANT, List.of(series.id())));
    write(next.metrics(), counting(series, 5, 1));
    write(
        next.metrics(), List.of(new MetricWrite(series, new NumberPoint(T0, T0 + seconds(1), 7))));
    Map<Long, MetricPoint> withHead =
        await(next.metrics().latestPoints(TENANT, List.of(series.id(), 42L)));

    assertThat(stored)
        .containsExactly(Map.entry(series.id(), new NumberPoint(T0, T0 + seconds(40), 4)));
    assertThat(withHead)
        .containsExactly(Map.entry(series.id(), new NumberPoint(T0, T0 + seconds(50), 5)));
  }
}
