package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionSelector;
import java.time.Duration;
import java.util.List;

/** What makes a policy acceptable: checked when it is created or changed, never at run time. */
final class PolicyRules {
  /** Shorter would let a typo (seconds for days) empty a store. */
  static final Duration MIN_MAX_AGE = Duration.ofMinutes(1);

  /** Longer is "forever" in disguise and overflows nanosecond times. */
  static final Duration MAX_MAX_AGE = Duration.ofDays(100 * 366);

  static final int MAX_FIELD_LENGTH = 256;

  private PolicyRules() {}

  /**
   * The spec with its defaults filled in (the default schedule), or an {@link ApiProblem} saying
   * what is wrong.
   */
  static PolicySpec check(PolicySpec spec, String defaultSchedule) {
    if (spec.tenant() == null || spec.tenant().isBlank()) {
      throw ApiProblem.badData("tenant is required (a tenant, or \"*\" for every tenant)");
    }
    text("tenant", spec.tenant());
    if (spec.signal() == null) {
      throw ApiProblem.badData("signal must be one of " + Signals.names());
    }
    Duration maxAge = spec.maxAge();
    if (maxAge == null || maxAge.compareTo(MIN_MAX_AGE) < 0 || maxAge.compareTo(MAX_MAX_AGE) > 0) {
      throw ApiProblem.badData(
          "maxAge must be from "
              + MIN_MAX_AGE.toSeconds()
              + " s to "
              + MAX_MAX_AGE.toDays()
              + " days, got "
              + (maxAge == null ? "none" : maxAge.toSeconds() + " s"));
    }
    if (spec.maxBytes() < 0) {
      throw ApiProblem.badData("maxBytes must be 0 (no size cap) or positive");
    }
    RetentionSelector selector = spec.selector() == null ? RetentionSelector.ANY : spec.selector();
    for (String field :
        new String[] {
          selector.service(), selector.environment(), selector.entityType(), selector.entityName()
        }) {
      if (field != null) {
        text("a selector field", field);
      }
    }
    String schedule =
        spec.schedule() == null || spec.schedule().isBlank() ? defaultSchedule : spec.schedule();
    CronSchedule.problem(schedule)
        .ifPresent(
            problem ->
                badData(
                    "schedule '"
                        + schedule
                        + "' is not a Quartz cron expression (seconds first): "
                        + problem));
    return new PolicySpec(
        spec.tenant(), spec.signal(), selector, maxAge, spec.maxBytes(), schedule, spec.enabled());
  }

  private static void badData(String message) {
    throw ApiProblem.badData(message);
  }

  private static void text(String what, String value) {
    if (value.length() > MAX_FIELD_LENGTH) {
      throw ApiProblem.badData(what + " is longer than " + MAX_FIELD_LENGTH + " characters");
    }
  }

  /**
   * One policy per tenant, signal and selector: two would govern the same rows and one of them
   * could never apply.
   */
  static void requireUnique(PolicySpec spec, String id, List<RetentionPolicy> all) {
    for (RetentionPolicy other : all) {
      if (!other.id().equals(id)
          && other.tenant().equals(spec.tenant())
          && other.signal() == spec.signal()
          && other.selector().equals(spec.selector())) {
        throw ApiProblem.conflict(
            "policy "
                + other.id()
                + " already governs "
                + spec.signal().jsonName()
                + " of tenant "
                + spec.tenant()
                + " with selector "
                + spec.selector()
                + "; change that one");
      }
    }
  }
}
