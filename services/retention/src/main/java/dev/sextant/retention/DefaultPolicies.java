package dev.sextant.retention;

import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import dev.sextant.storage.retention.RetentionStore;
import java.time.Duration;
import java.util.List;

/**
 * One policy per signal for every tenant, created when the store has none yet, so retention is on
 * from the first start (reference/anchors.md §3.7: a store that only grows is what users meet
 * first). They can be changed and disabled, never deleted: a deleted default would come back at the
 * next start, which is worse than an honest "disabled".
 */
final class DefaultPolicies {
  private static final String PREFIX = "default-";

  private DefaultPolicies() {}

  static String idOf(RetentionSignal signal) {
    return PREFIX + signal.jsonName();
  }

  static boolean isDefault(String id) {
    for (RetentionSignal signal : RetentionSignal.values()) {
      if (idOf(signal).equals(id)) {
        return true;
      }
    }
    return false;
  }

  static Duration maxAge(RetentionConfig.Defaults defaults, RetentionSignal signal) {
    return switch (signal) {
      case SPANS -> defaults.spans();
      case SPAN_PAYLOADS -> defaults.spanPayloads();
      case LOGS -> defaults.logs();
      case METRIC_POINTS -> defaults.metricPoints();
      case METRIC_ROLLUPS_1M -> defaults.metricRollups1m();
      case METRIC_ROLLUPS_1H -> defaults.metricRollups1h();
      case METRIC_EVENTS -> defaults.metricEvents();
      case SCORES -> defaults.scores();
      case FEEDBACK -> defaults.feedback();
    };
  }

  /**
   * Creates the default policies the store lacks; idempotent, and safe with several instances
   * starting at once (a policy's first version is stored once). Returns how many it created.
   */
  static int ensure(RetentionStore store, RetentionConfig config, long nowUnixNanos) {
    List<RetentionPolicy> existing = Await.of(store.policies(), config.deleteTimeout());
    int created = 0;
    for (RetentionSignal signal : RetentionSignal.values()) {
      String id = idOf(signal);
      if (existing.stream().anyMatch(p -> p.id().equals(id))) {
        continue;
      }
      PolicySpec spec =
          PolicyRules.check(
              new PolicySpec(
                  RetentionPolicy.ALL_TENANTS,
                  signal,
                  RetentionSelector.ANY,
                  maxAge(config.defaults(), signal),
                  0,
                  config.schedule(),
                  true),
              config.schedule());
      if (Await.of(store.savePolicy(spec.toPolicy(id, 1, nowUnixNanos)), config.deleteTimeout())) {
        created++;
      }
    }
    return created;
  }
}
