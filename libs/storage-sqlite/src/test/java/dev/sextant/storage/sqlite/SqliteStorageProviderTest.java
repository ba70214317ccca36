package dev.sextant.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageProvider;
import dev.sextant.storage.StorageSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStorageProviderTest {
  @TempDir Path dir;

  @Test
  void isFoundByServiceLoaderUnderItsKind() {
    assertThat(ServiceLoader.load(StorageProvider.class))
        .extracting(StorageProvider::kind)
        .contains("sqlite");
  }

  @Test
  void buildsAWorkingStoreFromSettings() {
    var storage =
        new SqliteStorageProvider()
            .create(
                new StorageSettings(
                    "sqlite",
                    Map.of(
                        "data-dir", dir.toString(),
                        "synchronous", "normal",
                        "safe-ingest-records-per-second", "1234",
                        "metric-flush-interval", "500ms",
                        "metric-compaction-fan-in", "10")));
    storage.start();
    try {
      assertThat(storage.check().ok()).isTrue();
      assertThat(storage.capabilities().safeIngestRecordsPerSecond()).isEqualTo(1234);
      assertThat(storage.capabilities().metricVisibilityLagMillis()).isEqualTo(500);
      assertThat(dir.resolve("spans.db")).exists();
    } finally {
      storage.close();
    }
  }

  @Test
  void readerConnectionsMapTheConfiguredSizeAndZeroTurnsMappingOff() throws Exception {
    assertThat(readerMmapSize(Map.of("data-dir", dir.resolve("a").toString())))
        .isEqualTo(256L << 20);
    assertThat(
            readerMmapSize(
                Map.of("data-dir", dir.resolve("b").toString(), "reader-mmap-mib", "16")))
        .isEqualTo(16L << 20);
    assertThat(
            readerMmapSize(Map.of("data-dir", dir.resolve("c").toString(), "reader-mmap-mib", "0")))
        .isZero();
    assertThatThrownBy(
            () ->
                new SqliteStorageProvider()
                    .create(new StorageSettings("sqlite", Map.of("reader-mmap-mib", "-1"))))
        .hasMessageContaining("readerMmapMib must not be negative");
  }

  /** {@code PRAGMA mmap_size} as a reader connection of storage built from the settings has it. */
  private static long readerMmapSize(Map<String, String> settings) throws Exception {
    SqliteStorage storage =
        (SqliteStorage) new SqliteStorageProvider().create(new StorageSettings("sqlite", settings));
    storage.start();
    try (Connection reader =
            new Connections(storage.options().dataDir().resolve("metrics.db"), storage.options())
                .openReader();
        Statement statement = reader.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA mmap_size")) {
      rows.next();
      return rows.getLong(1);
    } finally {
      storage.close();
    }
  }

  @Test
  void metricsDeclareTheirFlushIntervalAsTheVisibilityLag() {
    var storage = SqliteStorage.builder().dataDir(dir).build();
    assertThat(storage.capabilities().metricVisibilityLagMillis()).isEqualTo(2_000);
  }

  @Test
  void invalidSettingsFailWithTheSettingsName() {
    SqliteStorageProvider provider = new SqliteStorageProvider();
    assertThatThrownBy(
            () -> provider.create(new StorageSettings("sqlite", Map.of("synchronous", "OFF"))))
        .hasMessageContaining("sextant.storage.sqlite.synchronous");
    assertThatThrownBy(
            () -> provider.create(new StorageSettings("sqlite", Map.of("reader-threads", "two"))))
        .hasMessageContaining("sextant.storage.sqlite.reader-threads must be an integer");
    assertThatThrownBy(
            () -> provider.create(new StorageSettings("sqlite", Map.of("reader-threads", "-1"))))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(
            () ->
                provider.create(
                    new StorageSettings("sqlite", Map.of("metric-flush-interval", "soon"))))
        .hasMessageContaining("sextant.storage.sqlite.metric-flush-interval must be a duration");
  }
}
