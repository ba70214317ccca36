package dev.sextant.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.storage.query.TimeRange;
import dev.sextant.storage.testkit.Fixtures;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes on one fresh data directory at once, as the four services share it: all must start
 * (one migrates, the others wait), write through the busy timeout, and see each other's commits;
 * metric writes of every process reach the store whichever holds the writer lease, and a killed
 * writer's acknowledged points come back through the write-ahead log.
 */
class MultiProcessTest {
  private static final int PROCESSES = 3;
  private static final int BATCHES = 20;

  @TempDir Path dataDir;

  private Process start(Class<?> main, int index, String... more) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName(),
                dataDir.toString(),
                Integer.toString(index),
                Integer.toString(BATCHES)));
    command.addAll(List.of(more));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve(main.getSimpleName() + "-" + index + ".log").toFile())
        .start();
  }

  private static void awaitExit(List<Process> processes, Path dataDir) throws Exception {
    for (Process process : processes) {
      boolean exited = process.waitFor(90, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      assertThat(exited).as("process %d exited in time", process.pid()).isTrue();
      assertThat(process.exitValue())
          .as("exit code; see %s", dataDir + File.separator + "*.log")
          .isZero();
    }
  }

  static MetricSeries counter(int index) {
    return Fixtures.series("process_" + index + "_total", MetricType.COUNTER, "job", "test");
  }

  @Test
  void processesWritingMetricsAtOnceLoseNothingWhoeverHoldsTheWriterLease() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 1; i <= PROCESSES; i++) {
      processes.add(start(ProcessMetricWriterMain.class, i));
    }
    awaitExit(processes, dataDir);

    try (SqliteStorage storage = SqliteStorage.builder().dataDir(dataDir).build()) {
      storage.start();
      for (int i = 1; i <= PROCESSES; i++) {
        assertThat(points(storage, i)).as("process %d", i).hasSize(BATCHES * 100);
      }
    }
  }

  @Test
  void aKilledWriterLosesNoAcknowledgedPoint() throws Exception {
    Process writer = start(ProcessMetricWriterMain.class, 1, "hang");
    Path log = dataDir.resolve(ProcessMetricWriterMain.class.getSimpleName() + "-1.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(log) && Files.readString(log).contains("written"))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    try (SqliteStorage storage = SqliteStorage.builder().dataDir(dataDir).build()) {
      storage.start();
      storage.metrics().startWriting().await().atMost(Duration.ofSeconds(30));
      assertThat(points(storage, 1)).hasSize(BATCHES * 100);
    }
  }

  private static List<MetricPoint> points(SqliteStorage storage, int index) {
    return storage
        .metrics()
        .points(Fixtures.TENANT, counter(index).id(), TimeRange.ALL)
        .await()
        .atMost(Duration.ofSeconds(30));
  }

  @Test
  void processesStartingTogetherOnAFreshDirectoryAllWriteAndSeeEachOther() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 1; i <= PROCESSES; i++) {
      processes.add(start(ProcessWriterMain.class, i));
    }
    awaitExit(processes, dataDir);

    try (SqliteStorage storage = SqliteStorage.builder().dataDir(dataDir).build()) {
      storage.start();
      for (int i = 1; i <= PROCESSES; i++) {
        assertThat(
                storage
                    .spans()
                    .trace(Fixtures.TENANT, Fixtures.traceId(i))
                    .await()
                    .atMost(Duration.ofSeconds(30)))
            .hasSize(BATCHES * 50);
      }
    }
    assertThat(SqliteFiles.pragma(dataDir.resolve("spans.db"), "user_version")).isEqualTo("1");
  }
}
