package dev.sextant.storage.clickhouse;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.testkit.AgentTelemetryConformance;
import dev.sextant.storage.testkit.ChdbServer;
import dev.sextant.storage.testkit.DownsamplingConformance;
import dev.sextant.storage.testkit.LifecycleConformance;
import dev.sextant.storage.testkit.LogStoreConformance;
import dev.sextant.storage.testkit.MetricRollupConformance;
import dev.sextant.storage.testkit.MetricStoreConformance;
import dev.sextant.storage.testkit.RetentionDataConformance;
import dev.sextant.storage.testkit.RetentionStoreConformance;
import dev.sextant.storage.testkit.SpanStoreConformance;
import dev.sextant.storage.testkit.TenantIsolationConformance;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;

/**
 * The whole conformance suite against a real ClickHouse (chDB's 26.7 engine served over HTTP,
 * {@link ChdbServer}): every test gets a database of its own on the one server.
 */
class ClickHouseStorageConformanceTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  /** A new database for each test; {@code reopen()} reaches the last one again. */
  abstract static class Place {
    private String database;

    StorageComponent fresh() {
      database = "conformance_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
      return again();
    }

    StorageComponent again() {
      ClickHouseStorage storage =
          ClickHouseStorage.builder()
              .endpoint(ChdbServer.shared().endpoint())
              .database(database)
              .build();
      storage.start();
      return storage;
    }
  }

  @Nested
  class Spans extends SpanStoreConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class Logs extends LogStoreConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class Metrics extends MetricStoreConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class MetricRollups extends MetricRollupConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class TenantIsolation extends TenantIsolationConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class Lifecycle extends LifecycleConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class AgentTelemetry extends AgentTelemetryConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class Retention extends RetentionStoreConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class RetentionData extends RetentionDataConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }

  @Nested
  class Downsampling extends DownsamplingConformance {
    private final Place place = new Place() {};

    @Override
    protected StorageComponent newStorage() {
      return place.fresh();
    }

    @Override
    protected StorageComponent reopen() {
      return place.again();
    }
  }
}
