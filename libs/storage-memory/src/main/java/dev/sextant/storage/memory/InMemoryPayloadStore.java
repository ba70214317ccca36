package dev.sextant.storage.memory;

import dev.sextant.model.SpanPayload;
import dev.sextant.storage.PayloadStore;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Payloads per (tenant, trace id, span id), with the span start time retention needs. */
final class InMemoryPayloadStore implements PayloadStore {
  private record Key(String tenant, String traceId, String spanId) {}

  private record Stored(SpanPayload payload, long startTimeUnixNanos) {}

  private final Lifecycle lifecycle;
  private final Map<Key, Stored> payloads = new HashMap<>();

  InMemoryPayloadStore(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public Uni<Void> write(List<SpanPayload> written) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            for (SpanPayload payload : written) {
              Key key = new Key(payload.tenant(), payload.traceId(), payload.spanId());
              Stored stored = payloads.get(key);
              if (!payload.isEmpty() || stored == null) {
                payloads.put(key, new Stored(payload, payload.startTimeUnixNanos()));
              }
            }
          }
          return null;
        });
  }

  @Override
  public Uni<List<SpanPayload>> trace(String tenant, String traceId) {
    return lifecycle.run(
        () -> {
          List<SpanPayload> found = new ArrayList<>();
          synchronized (this) {
            payloads.forEach(
                (key, stored) -> {
                  if (key.tenant().equals(tenant) && key.traceId().equals(traceId)) {
                    found.add(stored.payload());
                  }
                });
          }
          return List.copyOf(found);
        });
  }

  @Override
  public Uni<Long> deleteOlderThan(long cutoffUnixNanos) {
    return lifecycle.run(
        () -> {
          synchronized (this) {
            int before = payloads.size();
            payloads.values().removeIf(stored -> stored.startTimeUnixNanos() < cutoffUnixNanos);
            return (long) (before - payloads.size());
          }
        });
  }

  synchronized void clear() {
    payloads.clear();
  }
}
