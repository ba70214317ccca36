package dev.sextant.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider's settings, checked before any connection is made. */
class PostgresStorageProviderTest {
  private static final String URL = "postgresql://sextant@127.0.0.1:1/sextant";

  @Test
  void theUrlIsRequiredAndNamedWithItsEnvironmentVariable() {
    assertThatThrownBy(
            () -> new PostgresStorageProvider().create(new StorageSettings("postgres", Map.of())))
        .hasMessageContaining("SEXTANT_STORAGE_POSTGRES_URL");
  }

  @Test
  void theFlushSizeIsASettingAndMustBePositive() {
    assertThat(new PostgresStorageProvider().settingNames())
        .contains("metric-max-points-per-flush");
    assertThatThrownBy(
            () ->
                new PostgresStorageProvider()
                    .create(
                        new StorageSettings(
                            "postgres", Map.of("url", URL, "metric-max-points-per-flush", "0"))))
        .hasMessageContaining("metricMaxPointsPerFlush must be positive");
    assertThat(
            new PostgresStorageProvider()
                .create(
                    new StorageSettings(
                        "postgres", Map.of("url", URL, "metric-max-points-per-flush", "100000"))))
        .isInstanceOf(PostgresStorage.class);
  }
}
