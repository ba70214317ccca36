package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Span;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.testkit.AgentTelemetryConformance;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.Fixtures;
import dev.sextant.storage.testkit.LogStoreConformance;
import dev.sextant.storage.testkit.MetricStoreConformance;
import dev.sextant.storage.testkit.SpanBuilder;
import dev.sextant.storage.testkit.SpanStoreConformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode over two shards (two chDB servers): local tables on each node behind Distributed
 * tables, DDL and deletes run on every node (chDB has no Keeper for {@code ON CLUSTER}). The span,
 * log, metric and agent telemetry suites pass through the Distributed tables, and rows really land
 * on both shards.
 */
class ClickHouseClusterConformanceTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  static ClickHouseStorage clustered(String database) {
    ChdbCluster cluster = ChdbCluster.shared();
    ClickHouseStorage storage =
        ClickHouseStorage.builder()
            .endpoint(cluster.endpoints().getFirst())
            .database(database)
            .cluster(ChdbCluster.NAME)
            .replicated(false)
            .onClusterDdl(false)
            .clusterNodes(cluster.endpoints())
            .build();
    storage.start();
    return storage;
  }

  static String newDatabase() {
    return "cluster_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
  }

  @Test
  void spansOfATraceShareAShardAndTracesSpreadOverBoth() {
    String database = newDatabase();
    try (ClickHouseStorage storage = clustered(database)) {
      List<Span> spans = new ArrayList<>();
      for (int t = 1; t <= 200; t++) {
        for (int s = 1; s <= 3; s++) {
          spans.add(SpanBuilder.span(Fixtures.traceId(t), Fixtures.spanId(s)).build());
        }
      }
      storage.spans().write(spans).await().indefinitely();

      String local = database + ".spans_local";
      List<Set<String>> tracesPerShard = new ArrayList<>();
      for (String node : ChdbCluster.shared().endpoints()) {
        tracesPerShard.add(
            Set.copyOf(ChdbServer.select(node, "SELECT DISTINCT hex(trace_id) FROM " + local)));
        assertThat(ChdbServer.select(node, "SELECT count() FROM " + local).getFirst())
            .as("rows on %s", node)
            .isNotEqualTo("0");
      }
      assertThat(tracesPerShard.get(0).size() + tracesPerShard.get(1).size()).isEqualTo(200);
      assertThat(tracesPerShard.get(0)).doesNotContainAnyElementsOf(tracesPerShard.get(1));
      assertThat(storage.spans().trace(Fixtures.TENANT, Fixtures.traceId(7)).await().indefinitely())
          .hasSize(3);
    }
  }

  @Nested
  class Spans extends SpanStoreConformance {
    private String database;

    @Override
    protected StorageComponent newStorage() {
      database = newDatabase();
      return clustered(database);
    }

    @Override
    protected StorageComponent reopen() {
      return clustered(database);
    }
  }

  @Nested
  class AgentTelemetry extends AgentTelemetryConformance {
    private String database;

    @Override
    protected StorageComponent newStorage() {
      database = newDatabase();
      return clustered(database);
    }

    @Override
    protected StorageComponent reopen() {
      return clustered(database);
    }
  }

  @Nested
  class Logs extends LogStoreConformance {
    private String database;

    @Override
    protected StorageComponent newStorage() {
      database = newDatabase();
      return clustered(database);
    }

    @Override
    protected StorageComponent reopen() {
      return clustered(database);
    }
  }

  @Nested
  class Metrics extends MetricStoreConformance {
    private String database;

    @Override
    protected StorageComponent newStorage() {
      database = newDatabase();
      return clustered(database);
    }

    @Override
    protected StorageComponent reopen() {
      return clustered(database);
    }
  }
}
