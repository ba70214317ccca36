package dev.sextant.aggregator;

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
  STORE_UNAVAILABLE(true);

  private final boolean retryable;

  BatchRejection(boolean retryable) {
    this.retryable = retryable;
  }

  boolean retryable() {
    return retryable;
  }

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
