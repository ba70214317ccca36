package dev.sextant.storage.postgres;

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
import org.junit.jupiter.api.Nested;

/**
 * The whole conformance suite against a real PostgreSQL (the JVM's throwaway cluster): every test
 * starts on an emptied schema; reopening reaches the same schema with its data.
 */
class PostgresStorageConformanceTest {
  private static final String SCHEMA = "conformance";

  @Nested
  class Spans extends SpanStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  @Nested
  class Logs extends LogStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  @Nested
  class Metrics extends MetricStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  @Nested
  class MetricRollups extends MetricRollupConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  @Nested
  class TenantIsolation extends TenantIsolationConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  @Nested
  class Lifecycle extends LifecycleConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  @Nested
  class AgentTelemetry extends AgentTelemetryConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  @Nested
  class RetentionStore extends RetentionStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  @Nested
  class RetentionData extends RetentionDataConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }

  /** Raw samples go under rollups stored by the flushes, rollup tiers age on their own. */
  @Nested
  class Downsampling extends DownsamplingConformance {
    @Override
    protected StorageComponent newStorage() {
      return TestStorages.empty(SCHEMA);
    }

    @Override
    protected StorageComponent reopen() {
      return TestStorages.open(SCHEMA);
    }
  }
}
