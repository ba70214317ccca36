package dev.sextant.storage.sqlite;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.retention.SignalSize;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.rollup.Rollups;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.LogBuilder;
import io.smallrye.mutiny.Uni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What retention does to the SQLite files beyond the SPI's contract: small transactions through the
 * writer, files that really shrink, and raw samples removed in one process while another compacts
 * and keeps writing, with the rollups intact across both and across a restart.
 */
class SqliteRetentionTest {
  private static final long HOUR = seconds(3_600);

  @TempDir Path dataDir;

  private final List<SqliteStorage> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(SqliteStorage::close);
  }

  private SqliteStorage open(SqliteStorage.Builder builder) {
    SqliteStorage storage = builder.dataDir(dataDir).build();
    storage.start();
    opened.add(storage);
    return storage;
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(60));
  }

  private long pages(SqliteStorage storage, Signal signal) throws Exception {
    return storage
        .database(signal)
        .read(
            statements -> {
              try (var rows = statements.prepare("PRAGMA page_count").executeQuery()) {
                rows.next();
                return rows.getLong(1);
              }
            })
        .get();
  }

  /**
   * The file's size on disk with the storage closed: the last connection's close checkpoints the
   * write-ahead log into the file and removes it.
   */
  private long closedFileSize(SqliteStorage storage, Signal signal) throws Exception {
    storage.close();
    opened.remove(storage);
    assertThat(dataDir.resolve(signal.fileName() + "-wal")).doesNotExist();
    return Files.size(dataDir.resolve(signal.fileName()));
  }

  @Test
  void oldestLogsGoInSmallTransactionsAndTheFileShrinks() throws Exception {
    SqliteStorage.Builder smallBatches = SqliteStorage.builder().deleteBatchRows(500);
    SqliteStorage storage = open(smallBatches);
    List<LogRecord> logs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      logs.add(
          LogBuilder.log(TENANT, T0 + seconds(i))
              .service("api")
              .body("request handled " + "z".repeat(1_000) + i)
              .build());
    }
    await(storage.logs().write(logs));
    long fileBefore = closedFileSize(storage, Signal.LOGS);
    storage = open(smallBatches);
    SignalSize sizeBefore = await(storage.retention().size(RetentionSignal.LOGS));
    long commitsBefore = storage.database(Signal.LOGS).writer().commits();

    long start = System.nanoTime();
    RowSet all = RowSet.all(RetentionSignal.LOGS, TENANT);
    Deleted deleted = await(storage.retention().deleteBefore(all, T0 + seconds(8_000), 1_000_000));
    long deleteNanos = System.nanoTime() - start;
    await(storage.retention().reclaim(RetentionSignal.LOGS));
    long reclaimNanos = System.nanoTime() - start - deleteNanos;

    assertThat(deleted.rows()).isEqualTo(8_000);
    assertThat(storage.database(Signal.LOGS).writer().commits() - commitsBefore)
        .as("one transaction per 500 rows, so writers wait for one batch at most")
        .isGreaterThanOrEqualTo(16);
    SignalSize sizeAfter = await(storage.retention().size(RetentionSignal.LOGS));
    long fileAfter = closedFileSize(storage, Signal.LOGS);
    assertThat(sizeAfter.bytes()).isLessThan(sizeBefore.bytes() / 3);
    assertThat(sizeAfter.freeBytes()).isZero();
    assertThat(fileAfter).isLessThan(fileBefore / 3);
    System.out.printf(
        "logs retention: %d rows in %d ms (%.0f rows/s), reclaim %d ms; file %d -> %d bytes%n",
        deleted.rows(),
        deleteNanos / 1_000_000,
        deleted.rows() * 1e9 / deleteNanos,
        reclaimNanos / 1_000_000,
        fileBefore,
        fileAfter);
  }

  private static MetricSeries counter(int n) {
    return Fixtures.series("requests_total", MetricType.COUNTER, "instance", "i" + n);
  }

  /** A sample every 10 s of each series in {@code [from, to)}, counting up from the hour. */
  private static List<MetricWrite> samples(int series, long from, long to) {
    List<MetricWrite> writes = new ArrayList<>();
    for (int n = 0; n < series; n++) {
      for (long t = from; t < to; t += seconds(10)) {
        writes.add(new MetricWrite(counter(n), new NumberPoint(T0, t, (t - T0) / 1e9 + n)));
      }
    }
    return writes;
  }

  private static List<MetricPoint> expected(int n, long from, long to) {
    List<MetricPoint> points = new ArrayList<>();
    for (MetricWrite w : samples(n + 1, from, to)) {
      if (w.series().equals(counter(n))) {
        points.add(w.point());
      }
    }
    return points;
  }

  @Test
  void rawSamplesGoWhileAnotherProcessCompactsAndTheRollupsStayExact() throws Exception {
    SqliteStorage.Builder compacting =
        SqliteStorage.builder().metricFlushInterval(Duration.ofHours(1)).metricCompactionFanIn(2);
    SqliteStorage aggregator = open(compacting);
    await(aggregator.metrics().startWriting());
    SqliteStorage retention = open(compacting);
    int series = 20;
    // Eight hours, an hour per flush: blocks merge as they come.
    for (int h = 0; h < 8; h++) {
      await(aggregator.metrics().write(samples(series, T0 + h * HOUR, T0 + (h + 1) * HOUR)));
      await(aggregator.metrics().flush());
    }
    aggregator.awaitMetricCompaction();
    long complete = await(retention.metrics().rollupsCompleteBefore(TENANT));
    assertThat(complete).isGreaterThanOrEqualTo(T0 + 7 * HOUR);
    long pagesBefore = pages(retention, Signal.METRICS);

    // Retention in the other process, while the aggregator keeps writing and compacting.
    var removing =
        retention
            .retention()
            .deleteBefore(
                RowSet.all(RetentionSignal.METRIC_POINTS, TENANT), T0 + 5 * HOUR + 1, 1_000_000)
            .subscribeAsCompletionStage();
    for (int h = 8; h < 12; h++) {
      await(aggregator.metrics().write(samples(series, T0 + h * HOUR, T0 + (h + 1) * HOUR)));
      await(aggregator.metrics().flush());
    }
    Deleted deleted = removing.get();
    aggregator.awaitMetricCompaction();
    await(retention.retention().reclaim(RetentionSignal.METRIC_POINTS));

    assertThat(deleted.cutoffUnixNanos()).isEqualTo(T0 + 5 * HOUR);
    assertThat(deleted.rows()).isEqualTo(series * 5 * 360L);
    assertThat(pages(retention, Signal.METRICS)).isLessThan(pagesBefore);

    // A late sample before the floor changes no rollup; one after it is rolled up as usual.
    MetricSeries first = counter(0);
    await(
        aggregator
            .metrics()
            .write(
                List.of(
                    new MetricWrite(first, new NumberPoint(T0, T0 + HOUR + seconds(5), 1e9)),
                    new MetricWrite(
                        first, new NumberPoint(T0, T0 + 6 * HOUR + seconds(5), 21605.5)))));
    await(aggregator.metrics().flush());
    for (int h = 12; h < 14; h++) {
      await(aggregator.metrics().write(samples(series, T0 + h * HOUR, T0 + (h + 1) * HOUR)));
      await(aggregator.metrics().flush());
    }
    aggregator.awaitMetricCompaction();

    for (SqliteStorage reader : List.of(retention, reopened())) {
      for (int n = 0; n < series; n++) {
        TreeMap<Long, MetricPoint> all = new TreeMap<>();
        expected(n, T0, T0 + 14 * HOUR).forEach(p -> all.put(p.timeUnixNanos(), p));
        if (n == 0) {
          MetricPoint late = new NumberPoint(T0, T0 + 6 * HOUR + seconds(5), 21605.5);
          all.put(late.timeUnixNanos(), late);
        }
        for (RollupTier tier : RollupTier.values()) {
          List<Rollup> rollups =
              await(reader.metrics().rollups(TENANT, counter(n).id(), tier, TimeRange.ALL));
          assertThat(rollups)
              .as("series %d, %s", n, tier)
              .isEqualTo(Rollups.compute(tier, null, List.copyOf(all.values())));
        }
        List<MetricPoint> raw =
            await(reader.metrics().points(TENANT, counter(n).id(), TimeRange.ALL));
        assertThat(raw.getFirst().timeUnixNanos())
            .as("the late sample before the floor waits in the chunks for the next run")
            .isEqualTo(n == 0 ? T0 + HOUR + seconds(5) : T0 + 5 * HOUR);
      }
      assertThat(await(reader.metrics().pointsRemovedBefore(TENANT))).isEqualTo(T0 + 5 * HOUR);
    }
  }

  private SqliteStorage reopened() {
    return open(SqliteStorage.builder().metricFlushInterval(Duration.ofHours(1)));
  }

  @Test
  void sizesAreThePagesOfEachSignalsTables() throws SQLException {
    SqliteStorage storage = open(SqliteStorage.builder());
    await(storage.metrics().write(samples(5, T0, T0 + HOUR)));
    await(storage.metrics().flush());
    Map<RetentionSignal, SignalSize> sizes = new TreeMap<>();
    for (RetentionSignal signal : storage.retention().signals()) {
      sizes.put(signal, await(storage.retention().size(signal)));
    }
    long pageSize = Long.parseLong(SqliteFiles.pragma(dataDir.resolve("logs.db"), "page_size"));
    assertThat(sizes.get(RetentionSignal.LOGS).bytes()).as("empty tables").isLessThan(8 * pageSize);
    assertThat(sizes.get(RetentionSignal.METRIC_POINTS).bytes()).isGreaterThan(10 * pageSize);
    assertThat(sizes.get(RetentionSignal.METRIC_ROLLUPS_1M).bytes()).isPositive();
  }
}
