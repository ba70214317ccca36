package dev.sextant.retention;

import java.time.Duration;

/** The defaults of {@link RetentionConfig}, with the values a unit test changes. */
record TestConfig(
    Duration spansMaxAge,
    Duration logsMaxAge,
    Duration metricPointsMaxAge,
    Duration deleteTimeout,
    int historySize)
    implements RetentionConfig {

  static TestConfig defaults() {
    return new TestConfig(
        Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(30), Duration.ofHours(1), 100);
  }

  TestConfig withDeleteTimeout(Duration timeout) {
    return new TestConfig(spansMaxAge, logsMaxAge, metricPointsMaxAge, timeout, historySize);
  }

  TestConfig withHistorySize(int size) {
    return new TestConfig(spansMaxAge, logsMaxAge, metricPointsMaxAge, deleteTimeout, size);
  }

  TestConfig withSpansMaxAge(Duration maxAge) {
    return new TestConfig(maxAge, logsMaxAge, metricPointsMaxAge, deleteTimeout, historySize);
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
}
