package dev.sextant.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The test cluster keeps its server log when one of its processes died, and only then. */
class TestPostgresLogTest {

  @Test
  void aClusterWhoseProcessWasKilledLeavesItsLogBehind() throws Exception {
    TestPostgres cluster = TestPostgres.durable();
    long checkpointer =
        Long.parseLong(
            cluster
                .superuserSql(
                    "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
                .trim());
    ProcessHandle.of(checkpointer).orElseThrow().destroyForcibly();
    // The postmaster notices the death and restarts its processes; wait until it accepts again.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try {
        cluster.superuserSql("SELECT 1");
        break;
      } catch (RuntimeException notYet) {
        assertThat(Instant.now()).as("the cluster recovers").isBefore(deadline);
        Thread.onSpinWait();
      }
    }

    cluster.close();

    assertThat(cluster.keptLog()).exists();
    assertThat(Files.readString(cluster.keptLog())).contains("terminated by signal 9");
    Files.delete(cluster.keptLog());
  }

  @Test
  void aClusterThatRanCleanlyLeavesNothing() throws IOException {
    TestPostgres cluster = TestPostgres.durable();
    cluster.superuserSql("SELECT 1");
    cluster.close();
    assertThat(cluster.keptLog()).doesNotExist();
  }
}
