package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.SpanBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickHouse dies in the middle of ingest and comes back: writes fail with a retryable {@code
 * UNAVAILABLE} while it is down, nothing that was acknowledged is lost, the same storage object
 * recovers on its own once the server is back, and retrying the failed batches duplicates nothing.
 */
class ClickHouseFaultTest {
  private static final int SPANS_PER_BATCH = 200;
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path dir;
  private ChdbServer server;
  private ClickHouseStorage storage;

  @AfterEach
  void stop() {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static List<Span> batch(int n) {
    List<Span> spans = new ArrayList<>();
    for (int s = 0; s < SPANS_PER_BATCH; s++) {
      spans.add(
          SpanBuilder.span(Fixtures.traceId(n + 1), Fixtures.spanId(s + 1))
              .parent(s == 0 ? "" : Fixtures.spanId(1))
              .start(Fixtures.T0 + Fixtures.seconds(n) + s)
              .attribute("batch", (long) n)
              .build());
    }
    return spans;
  }

  @Test
  void aServerKilledMidIngestLosesNothingAcknowledgedAndRecovers() throws Exception {
    server = ChdbServer.start(dir.resolve("data"));
    storage =
        ClickHouseStorage.builder()
            .endpoint(server.endpoint())
            .database("faults")
            .connectTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(10))
            .build();
    storage.start();

    Map<Integer, Boolean> acknowledged = new ConcurrentHashMap<>();
    List<Integer> failed = new CopyOnWriteArrayList<>();
    List<StorageException> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              for (int n = 0; running.get(); n++) {
                try {
                  storage.spans().write(batch(n)).await().atMost(PATIENCE);
                  acknowledged.put(n, true);
                } catch (StorageException e) {
                  failed.add(n);
                  failures.add(e);
                }
              }
            },
            "fault-test-writer");
    writer.start();

    awaitUntil(() -> acknowledged.size() >= 10, "ten batches acknowledged before the kill");
    server.kill();
    awaitUntil(() -> failures.size() >= 3, "writes failing while ClickHouse is down");
    assertThat(storage.check().ok()).isFalse();

    int acknowledgedBeforeRestart = acknowledged.size();
    server.restart();
    awaitUntil(
        () -> acknowledged.size() >= acknowledgedBeforeRestart + 10,
        "writes succeeding again after the restart, on the same storage object");
    running.set(false);
    writer.join(PATIENCE.toMillis());

    assertThat(failures)
        .allSatisfy(
            e -> {
              assertThat(e.code()).isEqualTo(StorageException.Code.UNAVAILABLE);
              assertThat(e.retryable()).isTrue();
            });
    assertThat(storage.check().ok()).isTrue();

    // A client retries what failed; some of it may have been stored before the kill.
    for (int n : failed) {
      storage.spans().write(batch(n)).await().atMost(PATIENCE);
    }
    List<Integer> all = new ArrayList<>(acknowledged.keySet());
    all.addAll(failed);
    for (int n : all) {
      List<Span> stored =
          storage.spans().trace(Fixtures.TENANT, Fixtures.traceId(n + 1)).await().atMost(PATIENCE);
      assertThat(stored).as("batch %d", n).containsExactlyInAnyOrderElementsOf(batch(n));
    }
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
