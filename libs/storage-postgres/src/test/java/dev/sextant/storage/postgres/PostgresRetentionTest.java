package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.OTHER_TENANT;
import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import dev.sextant.storage.retention.Bucket;
import dev.sextant.storage.retention.Deleted;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RowSet;
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
 * go by batched deletes; either way exactly the rows the histogram counted.
 */
class PostgresRetentionTest {
  private static final String SCHEMA = "retention_days";
  private static final long DAY = Partitions.DAY_NANOS;
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

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(60));
  }
}
