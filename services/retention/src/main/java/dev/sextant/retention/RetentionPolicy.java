package dev.sextant.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** How long each signal is kept, and the cutoffs that follows from a time. */
record RetentionPolicy(Map<Signal, Duration> maxAges) {

  RetentionPolicy {
    for (Signal signal : Signal.values()) {
      Duration maxAge = maxAges.get(signal);
      if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
        // A zero max age would delete everything at the next run: refuse it at startup.
        throw new IllegalArgumentException(
            "the retention max age of " + signal.tag() + " must be positive, got " + maxAge);
      }
    }
    maxAges = Map.copyOf(maxAges);
  }

  static RetentionPolicy of(RetentionConfig config) {
    Map<Signal, Duration> maxAges = new EnumMap<>(Signal.class);
    maxAges.put(Signal.SPANS, config.spansMaxAge());
    maxAges.put(Signal.LOGS, config.logsMaxAge());
    maxAges.put(Signal.METRIC_POINTS, config.metricPointsMaxAge());
    return new RetentionPolicy(maxAges);
  }

  Duration maxAge(Signal signal) {
    return maxAges.get(signal);
  }

  /** Data older than these times goes; a max age reaching before 1970 cuts at the epoch. */
  Map<Signal, Instant> cutoffs(Instant now) {
    Map<Signal, Instant> cutoffs = new EnumMap<>(Signal.class);
    for (Signal signal : Signal.values()) {
      Duration maxAge = maxAges.get(signal);
      Duration sinceEpoch = Duration.between(Instant.EPOCH, now);
      cutoffs.put(signal, maxAge.compareTo(sinceEpoch) >= 0 ? Instant.EPOCH : now.minus(maxAge));
    }
    return cutoffs;
  }
}
