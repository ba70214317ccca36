package dev.sextant.aggregator.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import dev.sextant.storage.memory.InMemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetadataGuardTest {
  private final InMemoryStorage storage = new InMemoryStorage();

  @BeforeEach
  void start() {
    storage.start();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static MetricSeries series(String name, MetricType type, String unit) {
    return new MetricSeries("acme", name, Labels.empty(), type, Temporality.CUMULATIVE, unit, "");
  }

  private MetadataGuard loaded() {
    MetadataGuard guard = new MetadataGuard(storage.metrics());
    guard.load("acme").await().atMost(Duration.ofSeconds(5));
    return guard;
  }

  @Test
  void theFirstMeaningOfANameWinsAndDisagreementsAreNamed() {
    MetadataGuard guard = loaded();
    List<MetricMetadata> created = new ArrayList<>();

    assertThat(guard.check(series("tokens", MetricType.COUNTER, "1"), Temporality.DELTA, created))
        .isNull();
    MetadataGuard.Disagreement type =
        guard.check(series("tokens", MetricType.GAUGE, "1"), Temporality.NONE, created);
    MetadataGuard.Disagreement temporality =
        guard.check(series("tokens", MetricType.COUNTER, "1"), Temporality.CUMULATIVE, created);
    MetadataGuard.Disagreement unit =
        guard.check(series("tokens", MetricType.COUNTER, "ms"), Temporality.DELTA, created);

    assertThat(type.conflict()).isEqualTo(MetadataGuard.Conflict.TYPE);
    assertThat(type.message())
        .isEqualTo("metric 'tokens' is a COUNTER here, but this point is a GAUGE");
    assertThat(temporality.conflict()).isEqualTo(MetadataGuard.Conflict.TEMPORALITY);
    assertThat(unit.conflict()).isEqualTo(MetadataGuard.Conflict.UNIT);
    assertThat(created).extracting(MetricMetadata::name).containsExactly("tokens");
  }

  @Test
  void untypedPointsAgreeWithAnything() {
    MetadataGuard guard = loaded();
    List<MetricMetadata> created = new ArrayList<>();
    guard.check(series("up", MetricType.GAUGE, ""), Temporality.NONE, created);

    assertThat(guard.check(series("up", MetricType.UNKNOWN, ""), Temporality.NONE, created))
        .isNull();
  }

  @Test
  void whatIsStoredIsKnownToTheNextProcessAndForgottenMetadataIsTakenAgain() {
    MetadataGuard first = loaded();
    List<MetricMetadata> created = new ArrayList<>();
    first.check(series("latency", MetricType.HISTOGRAM, "ms"), Temporality.CUMULATIVE, created);
    first.write(created).await().atMost(Duration.ofSeconds(5));

    MetadataGuard restarted = loaded();
    List<MetricMetadata> none = new ArrayList<>();
    assertThat(restarted.check(series("latency", MetricType.GAUGE, "ms"), Temporality.NONE, none))
        .isNotNull();
    assertThat(none).isEmpty();

    List<MetricMetadata> failed = new ArrayList<>();
    restarted.check(series("queue", MetricType.GAUGE, ""), Temporality.NONE, failed);
    restarted.forget(failed);
    List<MetricMetadata> again = new ArrayList<>();
    restarted.check(series("queue", MetricType.GAUGE, ""), Temporality.NONE, again);
    assertThat(again).extracting(MetricMetadata::name).containsExactly("queue");
  }
}
