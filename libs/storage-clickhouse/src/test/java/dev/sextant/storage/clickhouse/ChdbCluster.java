package dev.sextant.storage.clickhouse;

import dev.sextant.storage.testkit.ChdbServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Two chDB ClickHouse servers on loopback, each one shard of the cluster {@value #NAME} in both
 * servers' {@code remote_servers}: enough for the Distributed path. chDB has no Keeper, so there is
 * no {@code ON CLUSTER} and no replication here; those are left to a real cluster.
 */
final class ChdbCluster implements AutoCloseable {
  static final String NAME = "sextant_test";

  private static ChdbCluster shared;

  private final ChdbServer first;
  private final ChdbServer second;

  private ChdbCluster(Path dir) throws IOException {
    int http1 = ChdbServer.freePort();
    int tcp1 = ChdbServer.freePort();
    int http2 = ChdbServer.freePort();
    int tcp2 = ChdbServer.freePort();
    Path config = dir.resolve("cluster.xml");
    Files.writeString(
        config,
        """
        <clickhouse>
            <remote_servers>
                <%s>
                    <shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard>
                    <shard><replica><host>127.0.0.1</host><port>%d</port></replica></shard>
                </%s>
            </remote_servers>
        </clickhouse>
        """
            .formatted(NAME, tcp1, tcp2, NAME));
    List<String> extra = List.of("--config-file=" + config);
    first = ChdbServer.start(dir.resolve("node1"), http1, tcp1, extra);
    second = ChdbServer.start(dir.resolve("node2"), http2, tcp2, extra);
  }

  static synchronized ChdbCluster shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("sextant-chdb-cluster-");
        shared = new ChdbCluster(dir);
        ChdbCluster cluster = shared;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      cluster.close();
                      ChdbServer.removeLater(dir);
                    }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  List<String> endpoints() {
    return List.of(first.endpoint(), second.endpoint());
  }

  @Override
  public void close() {
    first.close();
    second.close();
  }
}
