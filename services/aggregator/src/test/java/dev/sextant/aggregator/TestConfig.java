package dev.sextant.aggregator;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** The aggregator's configuration as the application would read it: defaults plus overrides. */
public final class TestConfig {
  private TestConfig() {}

  public static AggregatorConfig aggregator(Map<String, String> overrides) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(AggregatorConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withDefaultValues(overrides)
            .build();
    return config.getConfigMapping(AggregatorConfig.class);
  }
}
