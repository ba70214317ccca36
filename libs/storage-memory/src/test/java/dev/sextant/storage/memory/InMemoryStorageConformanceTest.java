package dev.sextant.storage.memory;

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

/** The whole conformance suite against the in-memory backend. */
class InMemoryStorageConformanceTest {

  /** A new, started, empty storage: in memory, reopening finds nothing of the old one. */
  static StorageComponent started() {
    InMemoryStorage storage = new InMemoryStorage();
    storage.start();
    return storage;
  }

  @Nested
  class Spans extends SpanStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class Logs extends LogStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class Metrics extends MetricStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class MetricRollups extends MetricRollupConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class TenantIsolation extends TenantIsolationConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class Retention extends RetentionStoreConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class RetentionData extends RetentionDataConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class Downsampling extends DownsamplingConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class Lifecycle extends LifecycleConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }

  @Nested
  class AgentTelemetry extends AgentTelemetryConformance {
    @Override
    protected StorageComponent newStorage() {
      return started();
    }
  }
}
