package dev.sextant.aggregator.guardrails;

import java.util.HashMap;
import java.util.Map;

/**
 * Active series per tenant and per metric: a series is active from its first point until it has had
 * none for the idle timeout (it stops counting at the next sweep, at most an eighth of the timeout
 * later). A series that would take a count over its limit is not admitted. Counts start at zero
 * when the aggregator starts (series written before count again as they are written again).
 *
 * <p>Keyed by series id, which is unique across tenants: one map lookup per point, no reordering;
 * idle series leave in periodic sweeps.
 */
final class SeriesLimits {
  private final int maxPerTenant;
  private final int maxPerMetric;
  private final long idleNanos;
  private final long sweepEveryNanos;

  // The active series: an open-addressing table in parallel arrays (a slot is free when its metric
  // is null), looked up once per point; a map of boxed ids cost four cache misses per lookup.
  // Sweeps rebuild it from the survivors, so it needs no deletion markers.
  private long[] ids = new long[1024];
  private long[] lastSeen = new long[1024];
  private MetricKey[] metrics = new MetricKey[1024];
  private int size;

  private final Map<String, Integer> perTenant = new HashMap<>();
  private final Map<MetricKey, Integer> perMetric = new HashMap<>();
  private boolean swept;
  private long nextSweep;

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
    this.sweepEveryNanos = Math.max(1, idleNanos / 8);
  }

  synchronized Admission admit(String tenant, String metric, long seriesId, long nowNanos) {
    sweepIfDue(nowNanos);
    int slot = slotOf(seriesId);
    if (metrics[slot] != null) {
      lastSeen[slot] = nowNanos;
      return Admission.ADMITTED;
    }
    if (perTenant.getOrDefault(tenant, 0) >= maxPerTenant) {
      return Admission.TENANT_LIMIT;
    }
    MetricKey metricKey = new MetricKey(tenant, metric);
    if (perMetric.getOrDefault(metricKey, 0) >= maxPerMetric) {
      return Admission.METRIC_LIMIT;
    }
    if ((size + 1) * 2 > metrics.length) {
      rebuild(metrics.length * 2, 0, false);
      slot = slotOf(seriesId);
    }
    ids[slot] = seriesId;
    lastSeen[slot] = nowNanos;
    metrics[slot] = metricKey;
    size++;
    perTenant.merge(tenant, 1, Integer::sum);
    perMetric.merge(metricKey, 1, Integer::sum);
    return Admission.ADMITTED;
  }

  /** The slot that holds {@code id}, or the free slot where it would go. */
  private int slotOf(long id) {
    int mask = metrics.length - 1;
    int slot = (int) (id ^ (id >>> 32)) & mask;
    while (metrics[slot] != null && ids[slot] != id) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /**
   * Re-inserts the series into a table of {@code slots}: all of them, or when {@code dropIdle} only
   * those seen at or after {@code activeSince}.
   */
  private void rebuild(int slots, long activeSince, boolean dropIdle) {
    long[] oldIds = ids;
    long[] oldSeen = lastSeen;
    MetricKey[] oldMetrics = metrics;
    ids = new long[slots];
    lastSeen = new long[slots];
    metrics = new MetricKey[slots];
    size = 0;
    for (int i = 0; i < oldMetrics.length; i++) {
      if (oldMetrics[i] != null && (!dropIdle || oldSeen[i] - activeSince >= 0)) {
        int slot = slotOf(oldIds[i]);
        ids[slot] = oldIds[i];
        lastSeen[slot] = oldSeen[i];
        metrics[slot] = oldMetrics[i];
        size++;
      }
    }
  }

  private void sweepIfDue(long nowNanos) {
    if (swept && nowNanos - nextSweep < 0) {
      return;
    }
    swept = true;
    nextSweep = nowNanos + sweepEveryNanos;
    long activeSince = nowNanos - idleNanos + 1;
    int idle = 0;
    for (int i = 0; i < metrics.length; i++) {
      MetricKey metric = metrics[i];
      if (metric != null && lastSeen[i] - activeSince < 0) {
        idle++;
        perTenant.computeIfPresent(metric.tenant(), (t, n) -> n <= 1 ? null : n - 1);
        perMetric.computeIfPresent(metric, (m, n) -> n <= 1 ? null : n - 1);
      }
    }
    if (idle > 0) {
      int slots = metrics.length;
      while (slots > 1024 && (size - idle) * 8 < slots) {
        slots /= 2; // shrink after a burst of series went idle
      }
      rebuild(slots, activeSince, true);
    }
  }

  synchronized Map<String, Integer> activePerTenant(long nowNanos) {
    sweepIfDue(nowNanos);
    return Map.copyOf(perTenant);
  }
}
