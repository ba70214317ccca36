package dev.sextant.storage.sqlite;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.testkit.AgentTelemetryConformance;
import dev.sextant.storage.testkit.DownsamplingConformance;
import dev.sextant.storage.testkit.LifecycleConformance;
import dev.sextant.storage.testkit.LogStoreConformance;
import dev.sextant.storage.testkit.MetricRollupConformance;
import dev.sextant.storage.testkit.MetricStoreConformance;
import dev.sextant.storage.testkit.RetentionDataConformance;
import dev.sextant.storage.testkit.RetentionStoreConformance;
import dev.sextant.storage.testkit.SpanStoreConformance;
import dev.sextant.storage.testkit.TenantIsolationConformance;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The whole conformance suite against SQLite files in a fresh directory per test. */
class SqliteStorageConformanceTest {

  /** A fresh directory per test: every call of {@link #open()} within a test reaches it. */
  @TempDir Path dataDir;

  StorageComponent open() {
    SqliteStorage storage = SqliteStorage.builder().dataDir(dataDir).build();
    storage.start();
    return storage;
  }

  @Nested
  class Spans extends SpanStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }

  @Nested
  class Logs extends LogStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }

  @Nested
  class Metrics extends MetricStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }

  @Nested
  class MetricRollups extends MetricRollupConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }

  /**
   * Metrics again with a flush every 50 ms and compaction merging every 2 blocks, so reads meet
   * every level, compactions running beside them and rollups rolled up by compaction.
   */
  StorageComponent openCompacting() {
    SqliteStorage storage =
        SqliteStorage.builder()
            .dataDir(dataDir)
            .metricFlushInterval(Duration.ofMillis(50))
            .metricCompactionFanIn(2)
            .build();
    storage.start();
    return storage;
  }

  @Nested
  class CompactingMetrics extends MetricStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return openCompacting();
    }
  }

  @Nested
  class CompactingMetricRollups extends MetricRollupConformance {
    @Override
    protected StorageComponent newStorage() {
      return openCompacting();
    }
  }

  @Nested
  class Retention extends RetentionStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }

  @Nested
  class RetentionData extends RetentionDataConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }

  /** With compaction at work, so rollups become complete and raw samples may go. */
  @Nested
  class Downsampling extends DownsamplingConformance {
    @Override
    protected StorageComponent newStorage() {
      return openCompacting();
    }
  }

  @Nested
  class TenantIsolation extends TenantIsolationConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }

  @Nested
  class Lifecycle extends LifecycleConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }

  @Nested
  class AgentTelemetry extends AgentTelemetryConformance {
    @Override
    protected StorageComponent newStorage() {
      return open();
    }
  }
}
