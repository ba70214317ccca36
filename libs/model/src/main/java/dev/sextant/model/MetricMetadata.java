package dev.sextant.model;

/**
 * What a metric name means in a tenant, whatever its labels: its type, the temporality its points
 * arrived in (stored series are cumulative: the aggregator turns deltas into running sums), its
 * unit and description. One type and one temporality per name: points that disagree are refused (a
 * name that is a counter here and a gauge there cannot be queried sensibly).
 */
public record MetricMetadata(
    String tenant,
    String name,
    MetricType type,
    Temporality receivedTemporality,
    String unit,
    String description) {

  public MetricMetadata {
    unit = unit == null ? "" : unit;
    description = description == null ? "" : description;
  }
}
