package dev.sextant.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {
  private static Duration duration(String value) {
    return new StorageSettings("sqlite", Map.of("d", value)).duration("d").orElseThrow();
  }

  @Test
  void durationsReadAsQuarkusReadsThem() {
    assertThat(duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(duration(" 2s ")).isEqualTo(Duration.ofSeconds(2));
    assertThat(duration("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(duration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(duration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(duration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThat(new StorageSettings("sqlite", Map.of()).duration("d")).isEmpty();
  }

  @Test
  void aDurationThatIsNoneFailsWithTheSettingsName() {
    assertThatThrownBy(() -> duration("two seconds"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sextant.storage.sqlite.d must be a duration");
  }
}
