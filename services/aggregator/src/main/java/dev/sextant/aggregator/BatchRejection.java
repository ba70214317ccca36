package dev.sextant.aggregator;

import dev.sextant.protocol.pipeline.v1.AckStatus;
import java.util.Locale;

/** Why a whole batch was not stored. */
enum BatchRejection {
  /** The tenant is not a valid tenant name. */
  INVALID_TENANT(false),
  /** The caller's API key may not write for the batch's tenant. */
  FORBIDDEN_TENANT(false),
  /** More points than {@code sextant.aggregator.max-points-per-batch}. */
  TOO_LARGE(false),
  /** The store refused the batch as invalid, or failed with a bug. */
  STORE_FAILED(false),
  /** The store is overloaded or unavailable, or did not answer in time. */
  STORE_UNAVAILABLE(AckStatus.ACK_STATUS_RETRYABLE),
  /** Another aggregator shard owns a metric of the batch (ADR 0014). */
  NOT_OWNER(AckStatus.ACK_STATUS_NOT_OWNER),
  /**
   * A metric of the batch came to this shard with a count change; its old owner may still write.
   */
  HANDING_OVER(AckStatus.ACK_STATUS_NOT_OWNER);

  private final AckStatus status;

  BatchRejection(boolean retryable) {
    this(retryable ? AckStatus.ACK_STATUS_RETRYABLE : AckStatus.ACK_STATUS_INVALID);
  }

  BatchRejection(AckStatus status) {
    this.status = status;
  }

  boolean retryable() {
    return status != AckStatus.ACK_STATUS_INVALID;
  }

  /** The ack status that tells the sender what to do. */
  AckStatus status() {
    return status;
  }

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
