package dev.sextant.model;

/**
 * An evaluation of a trace or span by a scorer (an LLM judge, a rule, a human rubric): a number,
 * optionally with a reason. {@code scoreTraceId} is the trace of the scorer's own run. Text fields
 * are empty when absent; {@code metadata} is JSON text.
 */
public record Score(
    String tenant,
    String id,
    long timeUnixNanos,
    String traceId,
    String spanId,
    String scorerId,
    String scorerName,
    String scorerVersion,
    String scoreSource,
    double score,
    String reason,
    String scoreTraceId,
    Correlation correlation,
    String metadata)
    implements CorrelatedEvent {
  public Score {
    traceId = traceId == null ? "" : traceId;
    spanId = spanId == null ? "" : spanId;
    CorrelatedEvent.check(tenant, id, scorerId, traceId, spanId);
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score must be finite: " + score);
    }
    scorerName = scorerName == null ? "" : scorerName;
    scorerVersion = scorerVersion == null ? "" : scorerVersion;
    scoreSource = scoreSource == null ? "" : scoreSource;
    reason = reason == null ? "" : reason;
    scoreTraceId = scoreTraceId == null ? "" : scoreTraceId;
    correlation = correlation == null ? Correlation.NONE : correlation;
    metadata = metadata == null ? "" : metadata;
  }

  @Override
  public String name() {
    return scorerId;
  }
}
