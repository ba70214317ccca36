package dev.sextant.promql.engine;

import dev.sextant.promql.storage.Querier;

/**
 * What every evaluator of one query shares: the querier, the options, the query's own start and end
 * (for {@code @ start()} and {@code @ end()}), the deadline and the sample budget.
 */
final class QueryContext {
  final Querier querier;
  final EngineOptions options;
  final long queryStart;
  final long queryEnd;
  private final long deadlineNanos;
  private long samples;

  QueryContext(Querier querier, EngineOptions options, long queryStart, long queryEnd) {
    this.querier = querier;
    this.options = options;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
  }

  /**
   * Fails the query once it is past its deadline or its thread was interrupted; runs the options'
   * checkpoint.
   */
  void checkDeadline() {
    options.checkpoint().run();
    if (Thread.currentThread().isInterrupted()) {
      throw new PromQLException(
          PromQLException.Type.CANCELED, "query was canceled in expression evaluation");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new PromQLException(
          PromQLException.Type.TIMEOUT, "query timed out in expression evaluation");
    }
  }

  /**
   * Counts samples loaded or produced. Stricter than Prometheus's peak count (this one never goes
   * down), which only matters for queries near the limit.
   */
  void addSamples(long n) {
    samples += n;
    if (samples > options.maxSamples()) {
      throw new PromQLException(
          PromQLException.Type.TOO_MANY_SAMPLES,
          "query processing would load too many samples into memory in query execution");
    }
  }
}
