package dev.sextant.model;

/**
 * The money behind an observation: the model and provider it was priced for, the estimated cost and
 * its unit (e.g. {@code USD}), and how it was priced ({@code metadataJson}, JSON text: price table
 * row, tier, or why no price was found). {@code estimatedCost} is null when unknown.
 */
public record Cost(
    String provider, String model, Double estimatedCost, String unit, String metadataJson) {
  public static final Cost NONE = new Cost("", "", null, "", "");

  public Cost {
    provider = provider == null ? "" : provider;
    model = model == null ? "" : model;
    unit = unit == null ? "" : unit;
    metadataJson = metadataJson == null ? "" : metadataJson;
    if (estimatedCost != null && !Double.isFinite(estimatedCost)) {
      throw new IllegalArgumentException("estimatedCost must be finite: " + estimatedCost);
    }
  }
}
