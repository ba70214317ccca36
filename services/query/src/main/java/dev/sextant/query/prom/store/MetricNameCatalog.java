package dev.sextant.query.prom.store;

import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.TimeRange;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Each tenant's stored metric names, kept for a short while: a selector on a Prometheus name needs
 * the stored names that may be exposed under it ({@code gen_ai_client_token_usage_total} ← {@code
 * gen_ai.client.token.usage}), and listing them for every selector would cost a scan of the
 * tenant's series per query. A name stored since the last listing is found once the listing is
 * older than {@code maxAgeNanos}; a name that is its own Prometheus name (remote write, Prometheus
 * naming) is always looked up directly and never waits for it.
 */
public final class MetricNameCatalog {
  private record Listing(List<String> names, long fetchedNanos) {}

  private final MetricStore store;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Listing> byTenant = new ConcurrentHashMap<>();

  public MetricNameCatalog(MetricStore store, long maxAgeNanos, LongSupplier nanoTime) {
    this.store = store;
    this.maxAgeNanos = maxAgeNanos;
    this.nanoTime = nanoTime;
  }

  /** The tenant's names, at most {@code maxAgeNanos} old; the listing is read when older. */
  Uni<List<String>> names(String tenant) {
    long now = nanoTime.getAsLong();
    Listing cached = byTenant.get(tenant);
    if (cached != null && now - cached.fetchedNanos < maxAgeNanos) {
      return Uni.createFrom().item(cached.names);
    }
    return store
        .metricNames(tenant, TimeRange.ALL)
        .invoke(names -> byTenant.put(tenant, new Listing(List.copyOf(names), now)));
  }
}
