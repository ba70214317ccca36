package dev.sextant.aggregator.guardrails;

import java.util.HashMap;
import java.util.Iterator;
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

  private final Map<Long, Active> active = new HashMap<>();
  private final Map<String, Integer> perTenant = new HashMap<>();
  private final Map<MetricKey, Integer> perMetric = new HashMap<>();
  private boolean swept;
  private long nextSweep;

  private static final class Active {
    final MetricKey metric;
    long lastSeen;

    Active(MetricKey metric, long lastSeen) {
      this.metric = metric;
      this.lastSeen = lastSeen;
    }
  }

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
    Active known = active.get(seriesId);
    if (known != null) {
      known.lastSeen = nowNanos;
      return Admission.ADMITTED;
    }
    if (perTenant.getOrDefault(tenant, 0) >= maxPerTenant) {
      return Admission.TENANT_LIMIT;
    }
    MetricKey metricKey = new MetricKey(tenant, metric);
    if (perMetric.getOrDefault(metricKey, 0) >= maxPerMetric) {
      return Admission.METRIC_LIMIT;
    }
    active.put(seriesId, new Active(metricKey, nowNanos));
    perTenant.merge(tenant, 1, Integer::sum);
    perMetric.merge(metricKey, 1, Integer::sum);
    return Admission.ADMITTED;
  }

  private void sweepIfDue(long nowNanos) {
    if (swept && nowNanos - nextSweep < 0) {
      return;
    }
    swept = true;
    nextSweep = nowNanos + sweepEveryNanos;
    Iterator<Active> each = active.values().iterator();
    while (each.hasNext()) {
      Active a = each.next();
      if (nowNanos - a.lastSeen >= idleNanos) {
        each.remove();
        perTenant.computeIfPresent(a.metric.tenant(), (t, n) -> n <= 1 ? null : n - 1);
        perMetric.computeIfPresent(a.metric, (m, n) -> n <= 1 ? null : n - 1);
      }
    }
  }

  synchronized Map<String, Integer> activePerTenant(long nowNanos) {
    sweepIfDue(nowNanos);
    return Map.copyOf(perTenant);
  }
}
