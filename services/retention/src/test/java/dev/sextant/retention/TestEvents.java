package dev.sextant.retention;

import dev.sextant.model.MetricEvent;
import dev.sextant.storage.StorageComponent;
import dev.sextant.storage.query.EventQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Mastra metric events for retention tests: one written by id and time, and the ids stored. */
final class TestEvents {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestEvents() {}

  static void write(StorageComponent storage, String tenant, String id, Instant at) {
    storage
        .metricEvents()
        .write(
            List.of(
                new MetricEvent(
                    tenant,
                    id,
                    UnixNanos.of(at),
                    "duration_ms",
                    5,
                    Map.of(),
                    null,
                    null,
                    null,
                    null,
                    null)))
        .await()
        .atMost(WAIT);
  }

  /** The ids of the tenant's stored events, sorted. */
  static List<String> idsOf(StorageComponent storage, String tenant) {
    return storage.metricEvents().search(EventQuery.all(tenant, 100)).await().atMost(WAIT).stream()
        .map(MetricEvent::id)
        .sorted()
        .toList();
  }
}
