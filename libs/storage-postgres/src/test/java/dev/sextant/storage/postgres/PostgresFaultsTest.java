package dev.sextant.storage.postgres;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.LogBuilder;
import dev.sextant.storage.testkit.SpanBuilder;
import dev.sextant.storage.testkit.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of the real server: the database stopped and started mid-ingest (writes fail retryably
 * while it is down, nothing acknowledged is lost, the backend recovers by itself), statement and
 * lock timeouts (retryable). The JVM's cluster is stopped and started by these tests; they leave it
 * running.
 */
class PostgresFaultsTest {
  private static final String SCHEMA = "faults";
  private PostgresStorage storage;

  @AfterEach
  void close() {
    TestPostgres.shared().startIfStopped();
    if (storage != null) {
      storage.close();
    }
  }

  @Test
  void theDatabaseRestartingMidIngestLosesNothingAcknowledgedAndRecoversByItself()
      throws Exception {
    storage = TestStorages.empty(SCHEMA);
    // The other tests' WAL would otherwise all be replayed by the recovery after the crash (40 s
    // on a busy 2-core machine); this test is about the writes around the crash.
    TestPostgres.shared().superuserSql("CHECKPOINT");
    MetricSeries series = Fixtures.series("restart_total", MetricType.COUNTER, "job", "writer");
    List<Long> acknowledgedTraces = new ArrayList<>();
    List<Long> acknowledgedPoints = new ArrayList<>();
    ConcurrentHashMap<StorageException.Code, AtomicInteger> failures = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer =
        new Thread(
            () -> {
              for (long n = 1; !stop.get() && n < 100_000; n++) {
                Span span =
                    SpanBuilder.span(Fixtures.traceId(n), Fixtures.spanId(1))
                        .start(T0 + n * 1_000_000)
                        .name("write " + n)
                        .build();
                MetricWrite point =
                    new MetricWrite(series, new NumberPoint(T0, T0 + n * 1_000_000, n));
                try {
                  storage.spans().write(List.of(span)).await().atMost(Duration.ofSeconds(20));
                  synchronized (acknowledgedTraces) {
                    acknowledgedTraces.add(n);
                  }
                  storage.metrics().write(List.of(point)).await().atMost(Duration.ofSeconds(20));
                  synchronized (acknowledgedPoints) {
                    acknowledgedPoints.add(n);
                  }
                } catch (StorageException e) {
                  failures.computeIfAbsent(e.code(), c -> new AtomicInteger()).incrementAndGet();
                  sleep(20);
                }
              }
            },
            "restart-writer");
    writer.start();
    awaitAtLeast(acknowledgedPoints, 50);

    TestPostgres.shared().stop(true);
    long downSince = System.nanoTime();
    while (failures.isEmpty() && System.nanoTime() - downSince < 10_000_000_000L) {
      sleep(20);
    }
    assertThat(storage.check().ok()).as("health while the database is down").isFalse();
    sleep(500);
    TestPostgres.shared().start();
    int before;
    synchronized (acknowledgedPoints) {
      before = acknowledgedPoints.size();
    }
    awaitAtLeast(acknowledgedPoints, before + 50);
    stop.set(true);
    writer.join(30_000);

    assertThat(failures).as("failures while down").isNotEmpty();
    assertThat(failures.keySet())
        .as("every failure while down was retryable")
        .allMatch(code -> new StorageException(code, "").retryable());
    assertThat(storage.check().ok()).isTrue();
    await(storage.metrics().flush());
    for (long n : acknowledgedTraces) {
      assertThat(await(storage.spans().trace(TENANT, Fixtures.traceId(n))))
          .as("acknowledged span %d", n)
          .hasSize(1);
    }
    List<Long> stored =
        await(storage.metrics().points(TENANT, series.id(), TimeRange.ALL)).stream()
            .map(p -> (long) ((NumberPoint) p).value())
            .toList();
    assertThat(stored).containsAll(acknowledgedPoints);
  }

  @Test
  void aStatementTimeoutIsRetryable() {
    storage = TestStorages.empty(SCHEMA);
    StorageException failure =
        failureWhileLocked(
            "logs",
            TestStorages.builder(SCHEMA)
                .statementTimeout(Duration.ofMillis(300))
                .lockTimeout(Duration.ofSeconds(10)),
            impatient -> impatient.logs().write(List.of(LogBuilder.log(T0).build())));
    assertThat(failure.code()).isEqualTo(StorageException.Code.OVERLOADED);
    assertThat(failure.retryable()).isTrue();
  }

  @Test
  void aLockTimeoutIsRetryable() {
    storage = TestStorages.empty(SCHEMA);
    StorageException failure =
        failureWhileLocked(
            "spans",
            TestStorages.builder(SCHEMA).lockTimeout(Duration.ofMillis(200)),
            impatient ->
                impatient
                    .spans()
                    .write(
                        List.of(
                            SpanBuilder.span(Fixtures.traceId(1), Fixtures.spanId(1)).build())));
    assertThat(failure.code()).isEqualTo(StorageException.Code.OVERLOADED);
    assertThat(failure.retryable()).isTrue();
  }

  /**
   * What a write of a backend built by {@code builder} fails with while another session holds an
   * exclusive lock on {@code table} for three seconds.
   */
  private static StorageException failureWhileLocked(
      String table,
      PostgresStorage.Builder builder,
      java.util.function.Function<PostgresStorage, io.smallrye.mutiny.Uni<?>> write) {
    PostgresStorage impatient = builder.build();
    impatient.start();
    try {
      Thread holder = holdLock(table, 3);
      sleep(500);
      Throwable failure =
          catchThrowable(() -> write.apply(impatient).await().atMost(Duration.ofSeconds(20)));
      holder.join();
      assertThat(failure).isInstanceOf(StorageException.class);
      return (StorageException) failure;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      impatient.close();
    }
  }

  /** Holds an exclusive lock on a table of the schema for a few seconds, from another session. */
  private static Thread holdLock(String table, int seconds) {
    Thread holder =
        new Thread(
            () ->
                TestPostgres.shared()
                    .superuserSql(
                        "BEGIN; LOCK TABLE "
                            + SCHEMA
                            + "."
                            + table
                            + " IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep("
                            + seconds
                            + "); COMMIT;"),
            "lock-holder");
    holder.start();
    return holder;
  }

  private static void awaitAtLeast(List<Long> list, int count) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      synchronized (list) {
        if (list.size() >= count) {
          return;
        }
      }
      sleep(20);
    }
    throw new AssertionError("fewer than " + count + " acknowledged writes within 60 s");
  }

  private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(60));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
