package dev.sextant.aggregator.guardrails;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cardinality guardrails' settings (DESIGN §2.7), checked once.
 *
 * @param enabled whether any guardrail applies
 * @param maxSeriesPerTenant active series a tenant may have; new ones beyond go to overflow
 * @param maxSeriesPerMetric active series one metric of a tenant may have
 * @param seriesIdleTimeout a series not written for this long stops counting as active
 * @param deniedLabels label names removed from every series, compared loosely (see {@link
 *     LabelRules})
 * @param allowedLabels per metric name, the only label names kept
 * @param blockUuidValues whether labels whose value is a UUID are removed
 * @param uuidExemptLabels labels whose UUID values are kept (instance ids are UUIDs by design)
 * @param maxLabelValueLength longer values are cut to this many characters
 */
public record GuardrailSettings(
    boolean enabled,
    int maxSeriesPerTenant,
    int maxSeriesPerMetric,
    Duration seriesIdleTimeout,
    List<String> deniedLabels,
    Map<String, Set<String>> allowedLabels,
    boolean blockUuidValues,
    Set<String> uuidExemptLabels,
    int maxLabelValueLength) {

  public GuardrailSettings {
    if (maxSeriesPerTenant < 1 || maxSeriesPerMetric < 1) {
      throw new IllegalArgumentException("series limits must be at least 1");
    }
    if (seriesIdleTimeout.isNegative() || seriesIdleTimeout.isZero()) {
      throw new IllegalArgumentException("the series idle timeout must be positive");
    }
    if (maxLabelValueLength < 1) {
      throw new IllegalArgumentException("the label value length limit must be at least 1");
    }
    deniedLabels = List.copyOf(deniedLabels);
    allowedLabels = Map.copyOf(allowedLabels);
    uuidExemptLabels = Set.copyOf(uuidExemptLabels);
  }
}
