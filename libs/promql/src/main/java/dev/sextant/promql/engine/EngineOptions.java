package dev.sextant.promql.engine;

import java.time.Duration;

/**
 * Engine settings, with Prometheus's defaults: a 5 minute lookback, 50 million samples, a 2 minute
 * timeout and a 1 minute step for subqueries that name none (Prometheus uses its global evaluation
 * interval there). {@code checkpoint} runs wherever the engine checks its deadline (every node,
 * every series of a selector or range function) and may throw to stop the evaluation; by default it
 * does nothing.
 */
public record EngineOptions(
    long lookbackDeltaMs,
    long maxSamples,
    Duration timeout,
    long defaultSubqueryStepMs,
    Runnable checkpoint) {

  private static final Runnable NO_CHECKPOINT = () -> {};

  public static final EngineOptions DEFAULTS =
      new EngineOptions(5 * 60_000L, 50_000_000L, Duration.ofMinutes(2), 60_000L, NO_CHECKPOINT);

  public EngineOptions {
    if (lookbackDeltaMs <= 0 || maxSamples <= 0 || defaultSubqueryStepMs <= 0) {
      throw new IllegalArgumentException("engine options must be positive");
    }
    java.util.Objects.requireNonNull(checkpoint, "checkpoint");
  }

  public EngineOptions withLookbackDelta(long ms) {
    return new EngineOptions(ms, maxSamples, timeout, defaultSubqueryStepMs, checkpoint);
  }

  public EngineOptions withMaxSamples(long max) {
    return new EngineOptions(lookbackDeltaMs, max, timeout, defaultSubqueryStepMs, checkpoint);
  }

  public EngineOptions withTimeout(Duration t) {
    return new EngineOptions(lookbackDeltaMs, maxSamples, t, defaultSubqueryStepMs, checkpoint);
  }

  public EngineOptions withCheckpoint(Runnable c) {
    return new EngineOptions(lookbackDeltaMs, maxSamples, timeout, defaultSubqueryStepMs, c);
  }
}
