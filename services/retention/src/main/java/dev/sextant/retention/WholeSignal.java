package dev.sextant.retention;

import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.retention.RetentionPolicy;
import dev.sextant.storage.retention.RetentionSelector;
import dev.sextant.storage.retention.RetentionSignal;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Span payloads, metric events, scores and feedback where the backend's retention surface lacks
 * them (SQLite and memory today): their stores delete what is older than a time for every tenant at
 * once, so a policy of every tenant without a selector, alone on its signal, is applied that way —
 * the default policies are. A tenant's own or a narrowed policy of such a signal cannot be applied
 * and is recorded as skipped, saying why.
 */
final class WholeSignal {
  static final String NOTE = "deleted for every tenant at once by the signal's own store";

  private WholeSignal() {}

  private static boolean stored(RetentionSignal signal) {
    return switch (signal) {
      case SPAN_PAYLOADS, METRIC_EVENTS, SCORES, FEEDBACK -> true;
      case SPANS, LOGS, METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H -> false;
    };
  }

  /** Whether the policy can be applied by a delete over every tenant. */
  static boolean applies(
      StorageComponent storage, RetentionPolicy policy, List<RetentionPolicy> all) {
    return stored(policy.signal())
        && policy.appliesToAllTenants()
        && policy.selector().equals(RetentionSelector.ANY)
        && all.stream()
            .noneMatch(p -> p.signal() == policy.signal() && !p.id().equals(policy.id()));
  }

  static String skipNote(StorageComponent storage, RetentionPolicy policy) {
    String backend = storage.capabilities().kind();
    return stored(policy.signal())
        ? "the "
            + backend
            + " storage backend deletes "
            + policy.signal().jsonName()
            + " only for every tenant at once: only a policy of every tenant without a selector,"
            + " alone on its signal, applies"
        : "the " + backend + " storage backend does not store " + policy.signal().jsonName();
  }

  /** Deletes the signal's rows older than the cutoff, of every tenant; how many went. */
  static Uni<Long> delete(StorageComponent storage, RetentionSignal signal, long cutoffUnixNanos) {
    return switch (signal) {
      case SPAN_PAYLOADS -> storage.payloads().deleteOlderThan(cutoffUnixNanos);
      case METRIC_EVENTS -> storage.metricEvents().deleteOlderThan(cutoffUnixNanos);
      case SCORES -> storage.scores().deleteOlderThan(cutoffUnixNanos);
      case FEEDBACK -> storage.feedback().deleteOlderThan(cutoffUnixNanos);
      case SPANS, LOGS, METRIC_POINTS, METRIC_ROLLUPS_1M, METRIC_ROLLUPS_1H ->
          Uni.createFrom()
              .failure(
                  new IllegalArgumentException(signal.jsonName() + " has a retention surface"));
    };
  }
}
