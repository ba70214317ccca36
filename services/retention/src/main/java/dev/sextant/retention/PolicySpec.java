package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import java.time.Duration;

/**
 * What a client sets on a policy, before {@link PolicyRules} checked it.
 *
 * @param signal null when the client named no known signal
 * @param schedule null or empty: the default schedule
 */
record PolicySpec(
    String tenant,
    RetentionSignal signal,
    RetentionSelector selector,
    Duration maxAge,
    long maxBytes,
    String schedule,
    boolean enabled) {

  static PolicySpec of(RetentionPolicy policy) {
    return new PolicySpec(
        policy.tenant(),
        policy.signal(),
        policy.selector(),
        policy.maxAge(),
        policy.maxBytes(),
        policy.schedule(),
        policy.enabled());
  }

  /** The stored policy this spec makes, as version {@code version} changed at {@code now}. */
  RetentionPolicy toPolicy(String id, long version, long nowUnixNanos) {
    return new RetentionPolicy(
        id, tenant, signal, selector, maxAge, maxBytes, schedule, enabled, version, nowUnixNanos);
  }
}
