package dev.sextant.storage.retention;

import dev.sextant.storage.rollup.RollupTier;
import java.util.Locale;
import java.util.Optional;

/**
 * What a retention policy is about: each kind of stored data that ages on its own. Metric samples
 * and each rollup tier are separate signals, so raw samples can go long before their rollups
 * (downsampling). The order is the order a run works in: raw data first, derived data last.
 */
public enum RetentionSignal {
  /** Spans, by start time. */
  SPANS("spans"),
  /** Span inputs and outputs, by the start time of their span (stored apart from the spans). */
  SPAN_PAYLOADS("spanPayloads"),
  /** Log records, by time. */
  LOGS("logs"),
  /** Raw metric samples, by sample time; removed only where rollups cover them. */
  METRIC_POINTS("metricPoints"),
  /** One-minute rollups; a window goes once it ended at or before the cutoff. */
  METRIC_ROLLUPS_1M("metricRollups1m"),
  /** One-hour rollups; a window goes once it ended at or before the cutoff. */
  METRIC_ROLLUPS_1H("metricRollups1h"),
  /** Raw metric observations of agent frameworks (Mastra's metric events), by time. */
  METRIC_EVENTS("metricEvents"),
  /** Evaluation scores, by time. */
  SCORES("scores"),
  /** User feedback, by time. */
  FEEDBACK("feedback");

  private final String jsonName;

  RetentionSignal(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name in JSON and in the APIs, e.g. {@code metricRollups1m}. */
  public String jsonName() {
    return jsonName;
  }

  /** The label value on metrics and the word in logs: {@code metric_rollups_1m}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The signal with this JSON name. */
  public static Optional<RetentionSignal> ofJsonName(String name) {
    for (RetentionSignal signal : values()) {
      if (signal.jsonName.equals(name)) {
        return Optional.of(signal);
      }
    }
    return Optional.empty();
  }

  /** The rollup tier this signal is; null for every other signal. */
  public RollupTier rollupTier() {
    return switch (this) {
      case METRIC_ROLLUPS_1M -> RollupTier.ONE_MINUTE;
      case METRIC_ROLLUPS_1H -> RollupTier.ONE_HOUR;
      case SPANS, SPAN_PAYLOADS, LOGS, METRIC_POINTS, METRIC_EVENTS, SCORES, FEEDBACK -> null;
    };
  }

  /** The window length of a rollup tier in nanoseconds; 0 for every other signal. */
  public long windowNanos() {
    return switch (this) {
      case METRIC_ROLLUPS_1M -> 60_000_000_000L;
      case METRIC_ROLLUPS_1H -> 3_600_000_000_000L;
      case SPANS, SPAN_PAYLOADS, LOGS, METRIC_POINTS, METRIC_EVENTS, SCORES, FEEDBACK -> 0;
    };
  }
}
