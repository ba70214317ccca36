package dev.sextant.storage.retention;

import java.time.Duration;
import java.util.Objects;

/**
 * How long (and, optionally, how much) of one signal a tenant keeps, and when that is enforced.
 * Stored by {@link RetentionStore}; the retention service validates and applies it.
 *
 * @param id unique
 * @param tenant the tenant, or {@link #ALL_TENANTS} for a policy that applies to every tenant
 *     without a more specific one of its own
 * @param signal what it ages
 * @param selector the part of the data it governs ({@link RetentionSelector#ANY}: all of it)
 * @param maxAge rows older than this go
 * @param maxBytes when above 0, the oldest rows go while the governed rows take more than this
 * @param schedule when it runs: a Quartz cron expression, seconds first
 * @param enabled whether its schedule runs it (a manual run always may)
 * @param version 1 when created, one more at every change (optimistic concurrency)
 * @param updatedUnixNanos when it last changed
 */
public record RetentionPolicy(
    String id,
    String tenant,
    RetentionSignal signal,
    RetentionSelector selector,
    Duration maxAge,
    long maxBytes,
    String schedule,
    boolean enabled,
    long version,
    long updatedUnixNanos) {

  /** The tenant of a policy that applies to every tenant. */
  public static final String ALL_TENANTS = "*";

  public RetentionPolicy {
    requireText(id, "id");
    requireText(tenant, "tenant");
    requireText(schedule, "schedule");
    Objects.requireNonNull(signal, "signal");
    selector = selector == null ? RetentionSelector.ANY : selector;
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero()) {
      // A zero max age would delete everything at the next run.
      throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
    }
    if (version < 1) {
      throw new IllegalArgumentException("version starts at 1, got " + version);
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  public boolean appliesToAllTenants() {
    return ALL_TENANTS.equals(tenant);
  }

  /**
   * {@link #maxAge} in nanoseconds, {@code Long.MAX_VALUE} for a longer one (292 years and more).
   */
  public long maxAgeNanos() {
    try {
      return maxAge.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The same policy with another version and change time. */
  public RetentionPolicy withVersion(long newVersion, long changedUnixNanos) {
    return new RetentionPolicy(
        id,
        tenant,
        signal,
        selector,
        maxAge,
        maxBytes,
        schedule,
        enabled,
        newVersion,
        changedUnixNanos);
  }
}
