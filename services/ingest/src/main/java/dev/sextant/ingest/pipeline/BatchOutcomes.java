package dev.sextant.ingest.pipeline;

import dev.sextant.ingest.Delivery;
import dev.sextant.service.errors.RejectedRequestException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The answer to an export from the outcomes of its batches: success only if every batch was
 * committed; otherwise the worst failure (invalid, then overloaded, then unavailable). A retry of a
 * partly committed export is safe: a sample is identified by series and time.
 */
final class BatchOutcomes {
  private BatchOutcomes() {}

  static Delivery combine(List<BatchOutcome> outcomes) {
    BatchOutcome.Status worst = BatchOutcome.Status.COMMITTED;
    int rejected = 0;
    Set<String> messages = new LinkedHashSet<>();
    for (BatchOutcome outcome : outcomes) {
      if (severity(outcome.status()) > severity(worst)) {
        worst = outcome.status();
      }
      rejected += outcome.rejectedPoints();
      if (!outcome.message().isEmpty()) {
        messages.add(outcome.message());
      }
    }
    String message = String.join("; ", messages);
    return switch (worst) {
      case COMMITTED -> new Delivery(rejected, message);
      case INVALID -> throw RejectedRequestException.badInput("aggregator refused: " + message);
      case OVERLOADED -> throw RejectedRequestException.overloaded(message);
      // Not owner: the shard count changed under the export; its retry is routed again.
      case RETRYABLE, NOT_OWNER, UNAVAILABLE -> throw RejectedRequestException.unavailable(message);
    };
  }

  private static int severity(BatchOutcome.Status status) {
    return switch (status) {
      case COMMITTED -> 0;
      case RETRYABLE, NOT_OWNER, UNAVAILABLE -> 1;
      case OVERLOADED -> 2;
      case INVALID -> 3;
    };
  }
}
