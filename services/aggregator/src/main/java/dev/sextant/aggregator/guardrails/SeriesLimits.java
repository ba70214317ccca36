package dev.sextant.aggregator.guardrails;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Active series per tenant and per metric: a series is active from its first point until it has had
 * none for the idle timeout. A series that would take a count over its limit is not admitted.
 * Counts start at zero when the aggregator starts (series written before count again as they are
 * written again).
 */
final class SeriesLimits {
  private final int maxPerTenant;
  private final int maxPerMetric;
  private final long idleNanos;

  /** Active series by last write, oldest first (access order), to expire idle ones cheaply. */
  private final LinkedHashMap<SeriesKey, Long> lastSeen = new LinkedHashMap<>(1024, 0.75f, true);

  private final Map<String, Integer> perTenant = new HashMap<>();
  private final Map<MetricKey, Integer> perMetric = new HashMap<>();

  record SeriesKey(String tenant, String metric, long seriesId) {}

  record MetricKey(String tenant, String metric) {}

  /** Whether a series is (now) active, or which limit it would break. */
  enum Admission {
    ADMITTED,
    TENANT_LIMIT,
    METRIC_LIMIT
  }

  SeriesLimits(int maxPerTenant, int maxPerMetric, long idleNanos) {
    this.maxPerTenant = maxPerTenant;
    this.maxPerMetric = maxPerMetric;
    this.idleNanos = idleNanos;
  }

  synchronized Admission admit(String tenant, String metric, long seriesId, long nowNanos) {
    expire(nowNanos);
    SeriesKey key = new SeriesKey(tenant, metric, seriesId);
    if (lastSeen.containsKey(key)) {
      lastSeen.put(key, nowNanos);
      return Admission.ADMITTED;
    }
    MetricKey metricKey = new MetricKey(tenant, metric);
    if (perTenant.getOrDefault(tenant, 0) >= maxPerTenant) {
      return Admission.TENANT_LIMIT;
    }
    if (perMetric.getOrDefault(metricKey, 0) >= maxPerMetric) {
      return Admission.METRIC_LIMIT;
    }
    lastSeen.put(key, nowNanos);
    perTenant.merge(tenant, 1, Integer::sum);
    perMetric.merge(metricKey, 1, Integer::sum);
    return Admission.ADMITTED;
  }

  private void expire(long nowNanos) {
    Iterator<Map.Entry<SeriesKey, Long>> oldest = lastSeen.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<SeriesKey, Long> entry = oldest.next();
      if (nowNanos - entry.getValue() < idleNanos) {
        return;
      }
      oldest.remove();
      SeriesKey key = entry.getKey();
      perTenant.computeIfPresent(key.tenant(), (t, n) -> n <= 1 ? null : n - 1);
      perMetric.computeIfPresent(
          new MetricKey(key.tenant(), key.metric()), (m, n) -> n <= 1 ? null : n - 1);
    }
  }

  synchronized Map<String, Integer> activePerTenant(long nowNanos) {
    expire(nowNanos);
    return Map.copyOf(perTenant);
  }
}
