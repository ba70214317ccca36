package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.OTHER_TENANT;
import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
import dev.sextant.storage.rollup.Rollup;
import dev.sextant.storage.rollup.RollupTier;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.SpanBuilder;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention's deletes on daily partitions: a whole tenant's rows of a day that holds no other
 * tenant's rows go by dropping the day; a day shared with another tenant, and a narrowed row set,
 * go by batched deletes; either way exactly the rows the histogram counted. Metric samples and
 * rollup windows alike, the rollups answering for the days whose samples went.
 */
class PostgresRetentionTest {
  private static final String SCHEMA = "retention_days";
  private static final long DAY = Partitions.DAY_NANOS;
  private static final long TEN_MINUTES = 600_000_000_000L;
  private PostgresStorage storage;

  @BeforeEach
  void open() {
    storage = TestStorages.empty(SCHEMA);
    storage.ensurePartitions(Partitions.dayOf(T0), Partitions.dayOf(T0) + 2 * DAY);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private boolean exists(String partition) {
    return TestStorages.count(
            storage,
            "SELECT count(*) FROM pg_class WHERE relname = '"
                + partition
                + "' AND relnamespace = '"
                + SCHEMA
                + "'::regnamespace")
        == 1;
  }

  @Test
  void aDayOfOneTenantIsDroppedAndADaySharedIsDeletedRowByRow() {
    long day0 = Partitions.dayOf(T0);
    List<Span> spans = new ArrayList<>();
    for (int n = 0; n < 30; n++) {
      spans.add(SpanBuilder.span(Fixtures.traceId(n), Fixtures.spanId(n)).start(day0 + n).build());
      spans.add(
          SpanBuilder.span(Fixtures.traceId(100 + n), Fixtures.spanId(100 + n))
              .start(day0 + DAY + n)
              .service("checkout")
              .build());
    }
    spans.add(
        SpanBuilder.span(OTHER_TENANT, Fixtures.traceId(999), Fixtures.spanId(999))
            .start(day0 + DAY)
            .build());
    await(storage.spans().write(spans));
    assertThat(exists(Partitions.dayName("spans", day0))).isTrue();
    RowSet all = RowSet.all(RetentionSignal.SPANS, TENANT);
    long cutoff = day0 + 2 * DAY;
    List<Bucket> days = await(storage.retention().histogram(all, cutoff, DAY));
    assertThat(days).extracting(Bucket::rows).containsExactly(30L, 30L);

    // A narrowed set never drops a day, even one the tenant has alone.
    RowSet checkout =
        new RowSet(
            RetentionSignal.SPANS,
            TENANT,
            new RetentionSelector("checkout", null, null, null),
            List.of());
    Deleted narrowed = await(storage.retention().deleteBefore(checkout, cutoff, 10));
    assertThat(narrowed.rows()).isEqualTo(10);
    assertThat(narrowed.more()).isTrue();
    assertThat(narrowed.bytes()).isPositive();

    Deleted deleted = await(storage.retention().deleteBefore(all, cutoff, 1_000));
    assertThat(deleted.rows()).isEqualTo(50);
    assertThat(deleted.more()).isFalse();
    assertThat(deleted.bytes() + narrowed.bytes())
        .isEqualTo(days.stream().mapToLong(Bucket::bytes).sum());
    assertThat(exists(Partitions.dayName("spans", day0))).as("dropped whole").isFalse();
    assertThat(exists(Partitions.dayName("spans", day0 + DAY))).as("shared").isTrue();
    assertThat(await(storage.retention().histogram(all, cutoff, DAY))).isEmpty();
    assertThat(await(storage.spans().trace(OTHER_TENANT, Fixtures.traceId(999)))).hasSize(1);

    // A later write of the dropped day is still stored (in the default partition).
    await(storage.spans().write(List.of(spans.getFirst())));
    assertThat(await(storage.spans().trace(TENANT, Fixtures.traceId(0)))).hasSize(1);
  }

  @Test
  void metricDaysOfOneTenantAreDroppedAndTheirRollupsStay() {
    long day0 = Partitions.dayOf(T0);
    MetricSeries counter = Fixtures.series("calls_total", MetricType.COUNTER, "job", "api");
    MetricSeries theirs =
        Fixtures.series(OTHER_TENANT, "calls_total", MetricType.COUNTER, "job", "api");
    List<MetricWrite> writes = new ArrayList<>();
    for (int i = 0; i < 288; i++) {
      writes.add(new MetricWrite(counter, new NumberPoint(day0, day0 + i * TEN_MINUTES, i)));
    }
    writes.add(new MetricWrite(theirs, new NumberPoint(day0, day0 + DAY, 1)));
    await(storage.metrics().write(writes));
    await(storage.metrics().flush());
    RowSet raw = RowSet.all(RetentionSignal.METRIC_POINTS, TENANT);
    long cutoff = day0 + 2 * DAY;
    assertThat(await(storage.retention().histogram(raw, cutoff, DAY)))
        .extracting(Bucket::rows)
        .containsExactly(144L, 144L);
    List<Rollup> hours =
        await(storage.metrics().rollups(TENANT, counter.id(), RollupTier.ONE_HOUR, TimeRange.ALL));
    assertThat(hours).hasSize(48);

    Deleted deleted = await(storage.retention().deleteBefore(raw, cutoff, 10_000));

    assertThat(deleted.rows()).isEqualTo(288);
    assertThat(exists(Partitions.dayName("metric_chunks", day0))).as("dropped whole").isFalse();
    assertThat(exists(Partitions.dayName("metric_chunks", day0 + DAY))).as("shared").isTrue();
    assertThat(await(storage.metrics().points(TENANT, counter.id(), TimeRange.ALL))).isEmpty();
    assertThat(await(storage.metrics().points(OTHER_TENANT, theirs.id(), TimeRange.ALL)))
        .hasSize(1);
    assertThat(await(storage.metrics().pointsRemovedBefore(TENANT))).isEqualTo(cutoff);
    assertThat(
            await(
                storage
                    .metrics()
                    .rollups(TENANT, counter.id(), RollupTier.ONE_HOUR, TimeRange.ALL)))
        .isEqualTo(hours);

    RowSet minutes = RowSet.all(RetentionSignal.METRIC_ROLLUPS_1M, TENANT);
    assertThat(await(storage.retention().deleteBefore(minutes, day0 + DAY, 10_000)).rows())
        .isEqualTo(144);
    assertThat(exists(Partitions.dayName("metric_rollups_1m", day0))).isFalse();
    assertThat(
            await(
                storage
                    .metrics()
                    .rollups(TENANT, counter.id(), RollupTier.ONE_MINUTE, TimeRange.ALL)))
        .hasSize(144)
        .allSatisfy(r -> assertThat(r.windowStartUnixNanos()).isGreaterThanOrEqualTo(day0 + DAY));
    assertThat(
            await(
                storage
                    .metrics()
                    .series(new SeriesQuery(TENANT, List.of(), new TimeRange(day0, day0 + DAY)))))
        .as("found by its hour windows")
        .containsExactly(counter);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(60));
  }
}
