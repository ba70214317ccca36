package dev.sextant.retention;

import java.time.Duration;
import java.util.Optional;

/** The defaults of {@link RetentionConfig}, with what a unit test changes. */
record TestConfig(
    String instance, Duration leaseTtl, int rowsPerStep, int historySize, Duration deleteTimeout)
    implements RetentionConfig {

  static TestConfig of(String instance) {
    return new TestConfig(instance, Duration.ofMinutes(2), 20_000, 1000, Duration.ofSeconds(30));
  }

  TestConfig withRowsPerStep(int rows) {
    return new TestConfig(instance, leaseTtl, rows, historySize, deleteTimeout);
  }

  TestConfig withHistorySize(int size) {
    return new TestConfig(instance, leaseTtl, rowsPerStep, size, deleteTimeout);
  }

  TestConfig withDeleteTimeout(Duration timeout) {
    return new TestConfig(instance, leaseTtl, rowsPerStep, historySize, timeout);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public String schedule() {
    return "0 7 * * * ?";
  }

  @Override
  public boolean runOnStart() {
    return false;
  }

  @Override
  public Defaults defaults() {
    return new Defaults() {
      @Override
      public Duration spans() {
        return Duration.ofDays(7);
      }

      @Override
      public Duration spanPayloads() {
        return Duration.ofDays(7);
      }

      @Override
      public Duration logs() {
        return Duration.ofDays(7);
      }

      @Override
      public Duration metricPoints() {
        return Duration.ofDays(15);
      }

      @Override
      public Duration metricRollups1m() {
        return Duration.ofDays(90);
      }

      @Override
      public Duration metricRollups1h() {
        return Duration.ofDays(400);
      }

      @Override
      public Duration metricEvents() {
        return Duration.ofDays(30);
      }

      @Override
      public Duration scores() {
        return Duration.ofDays(90);
      }

      @Override
      public Duration feedback() {
        return Duration.ofDays(90);
      }
    };
  }

  @Override
  public Duration jitter() {
    return Duration.ZERO;
  }

  @Override
  public Duration policyRefresh() {
    return Duration.ofSeconds(30);
  }

  @Override
  public double sizeCapTarget() {
    return 0.9;
  }

  @Override
  public Optional<String> instanceId() {
    return Optional.of(instance);
  }
}
