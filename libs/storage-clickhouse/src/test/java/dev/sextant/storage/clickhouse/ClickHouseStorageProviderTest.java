package dev.sextant.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageProvider;
import dev.sextant.storage.StorageSettings;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ClickHouseStorageProviderTest {

  private static StorageProvider provider() {
    return ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.kind().equals("clickhouse"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void isFoundByServiceLoaderAndBuildsWithoutIo() {
    ClickHouseStorage storage =
        (ClickHouseStorage)
            provider()
                .create(
                    new StorageSettings(
                        "clickhouse",
                        Map.of(
                            "endpoint", "http://127.0.0.1:1",
                            "database", "obs",
                            "cluster", "prod",
                            "cluster-nodes", "http://a:8123, http://b:8123",
                            "request-timeout", "5s",
                            "span-ttl-days", "7")));

    ClickHouseOptions options = storage.options();
    assertThat(options.endpoint()).isEqualTo("http://127.0.0.1:1");
    assertThat(options.cluster()).isEqualTo("prod");
    assertThat(options.clusterNodes()).containsExactly("http://a:8123", "http://b:8123");
    assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.spanTtlDays()).isEqualTo(7);
    assertThat(storage.check().ok()).isFalse();
    assertThat(provider().settingNames()).contains("endpoint", "cluster", "metric-ttl-days");
  }

  @Test
  void invalidSettingsNameTheSetting() {
    assertThatThrownBy(
            () ->
                provider()
                    .create(new StorageSettings("clickhouse", Map.of("async-insert", "perhaps"))))
        .hasMessageContaining("sextant.storage.clickhouse.async-insert");
  }
}
