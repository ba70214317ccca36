package dev.sextant.model;

/**
 * What a person (or a system) said about a trace or span: a thumbs, a rating, a comment. The value
 * is a number or a text ({@code numberValue} null for text). {@code reviewStatus} is {@code
 * needs-review} or {@code reviewed}. Text fields are empty when absent; {@code metadata} is JSON
 * text.
 */
public record Feedback(
    String tenant,
    String id,
    long timeUnixNanos,
    String traceId,
    String spanId,
    String feedbackSource,
    String feedbackType,
    Double numberValue,
    String textValue,
    String comment,
    String feedbackUserId,
    String sourceId,
    String reviewStatus,
    Correlation correlation,
    String metadata)
    implements CorrelatedEvent {
  public static final String NEEDS_REVIEW = "needs-review";
  public static final String REVIEWED = "reviewed";

  public Feedback {
    traceId = traceId == null ? "" : traceId;
    spanId = spanId == null ? "" : spanId;
    CorrelatedEvent.check(tenant, id, feedbackType, traceId, spanId);
    if (numberValue != null && !Double.isFinite(numberValue)) {
      throw new IllegalArgumentException("feedback value must be finite: " + numberValue);
    }
    feedbackSource = feedbackSource == null ? "" : feedbackSource;
    textValue = textValue == null ? "" : textValue;
    comment = comment == null ? "" : comment;
    feedbackUserId = feedbackUserId == null ? "" : feedbackUserId;
    sourceId = sourceId == null ? "" : sourceId;
    reviewStatus = reviewStatus == null || reviewStatus.isEmpty() ? NEEDS_REVIEW : reviewStatus;
    if (!reviewStatus.equals(NEEDS_REVIEW) && !reviewStatus.equals(REVIEWED)) {
      throw new IllegalArgumentException("reviewStatus must be needs-review or reviewed");
    }
    correlation = correlation == null ? Correlation.NONE : correlation;
    metadata = metadata == null ? "" : metadata;
  }

  @Override
  public String name() {
    return feedbackType;
  }
}
