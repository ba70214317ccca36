package dev.sextant.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.testkit.Fixtures;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes on one fresh data directory at once, as the four services share it: all must start
 * (one migrates, the others wait), write through the busy timeout, and see each other's commits.
 */
class MultiProcessTest {
  private static final int PROCESSES = 3;
  private static final int BATCHES = 20;

  @TempDir Path dataDir;

  @Test
  void processesStartingTogetherOnAFreshDirectoryAllWriteAndSeeEachOther() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 1; i <= PROCESSES; i++) {
      processes.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ProcessWriterMain.class.getName(),
                  dataDir.toString(),
                  Integer.toString(i),
                  Integer.toString(BATCHES))
              .redirectErrorStream(true)
              .redirectOutput(dataDir.resolve("process-" + i + ".log").toFile())
              .start());
    }
    for (Process process : processes) {
      boolean exited = process.waitFor(90, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      assertThat(exited).as("process %d exited in time", process.pid()).isTrue();
      assertThat(process.exitValue())
          .as("exit code; see %s", dataDir + File.separator + "process-*.log")
          .isZero();
    }

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
