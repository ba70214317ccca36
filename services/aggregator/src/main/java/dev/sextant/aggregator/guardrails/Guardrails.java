package dev.sextant.aggregator.guardrails;

import dev.sextant.aggregator.BoundedMemo;
import dev.sextant.aggregator.Tally;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import java.util.Map;
import java.util.function.Function;

/**
 * Cardinality guardrails (DESIGN §2.7): they decide which series a point is stored in, and never
 * drop it. A point whose labels a rule changes, or whose series would break an active-series limit,
 * is <em>re-aggregated</em>: it goes to another series (the labels left after the rules, or the
 * metric's overflow series {@code {otel_metric_overflow="true"}}, as OpenTelemetry SDKs name
 * theirs), where sums and histograms add up what their sources added, so {@code sum(metric)} stays
 * right. Every hit is counted and named to the sender.
 */
public final class Guardrails {
  /** The one label of a metric's overflow series. */
  public static final String OVERFLOW_LABEL = "otel_metric_overflow";

  private final boolean enabled;
  private final LabelRules rules;
  private final SeriesLimits limits;
  private final int maxPerTenant;
  private final int maxPerMetric;

  public Guardrails(GuardrailSettings settings) {
    this.enabled = settings.enabled();
    this.rules = new LabelRules(settings);
    this.limits =
        new SeriesLimits(
            settings.maxSeriesPerTenant(),
            settings.maxSeriesPerMetric(),
            settings.seriesIdleTimeout().toNanos());
    this.maxPerTenant = settings.maxSeriesPerTenant();
    this.maxPerMetric = settings.maxSeriesPerMetric();
  }

  /**
   * The label rules' outcome for a series and the series they make of it, one per series: the rules
   * depend on nothing else, and applying them (maps of the labels, a UUID check of every value) for
   * every point cost more than finding the series here. Bounded as the converter's series pool.
   */
  private record Ruled(MetricSeries target, Map<GuardrailHit, String> hits) {
    boolean changed() {
      return !hits.isEmpty();
    }
  }

  private final BoundedMemo<MetricSeries, Ruled> ruled = new BoundedMemo<>(250_000);
  private final Function<MetricSeries, Ruled> applyRules = this::applyRules;

  private Ruled applyRules(MetricSeries series) {
    LabelRules.Outcome outcome = rules.apply(series.name(), series.labels());
    return new Ruled(
        outcome.changed() ? withLabels(series, outcome.labels()) : series, outcome.hits());
  }

  /** Where a point of {@code series} goes; {@code reaggregated} when that is not its own series. */
  public record Route(MetricSeries series, boolean reaggregated) {}

  /**
   * Where one series keeps its label rules' outcome (they depend on nothing else), so that its
   * points skip the shared table: one memo per series instance, never shared between series.
   */
  public static final class Memo {
    private volatile Ruled ruled;
  }

  public Route route(MetricSeries series, long nowNanos, Tally<GuardrailHit> hits) {
    return route(series, null, nowNanos, hits);
  }

  /** As {@link #route(MetricSeries, long, Tally)}; {@code memo}, when given, is the series'. */
  public Route route(MetricSeries series, Memo memo, long nowNanos, Tally<GuardrailHit> hits) {
    if (!enabled) {
      return new Route(series, false);
    }
    Ruled labels = memo != null ? memo.ruled : null;
    if (labels == null) {
      labels = ruled.get(series, applyRules);
      if (memo != null) {
        memo.ruled = labels;
      }
    }
    MetricSeries target = labels.target();
    if (labels.changed()) {
      for (Map.Entry<GuardrailHit, String> hit : labels.hits().entrySet()) {
        hits.add(hit.getKey(), describe(hit.getKey(), series.name(), hit.getValue()));
      }
    }
    return switch (limits.admit(target.tenant(), target.name(), target.id(), nowNanos)) {
      case ADMITTED -> new Route(target, labels.changed());
      case TENANT_LIMIT -> {
        hits.add(
            GuardrailHit.TENANT_SERIES_LIMIT,
            "tenant '"
                + target.tenant()
                + "' has "
                + maxPerTenant
                + " active series, its limit; metric '"
                + series.name()
                + "' went to its overflow series");
        yield new Route(overflow(target), true);
      }
      case METRIC_LIMIT -> {
        hits.add(
            GuardrailHit.METRIC_SERIES_LIMIT,
            "metric '"
                + series.name()
                + "' has "
                + maxPerMetric
                + " active series, its limit; new ones go to its overflow series");
        yield new Route(overflow(target), true);
      }
    };
  }

  /** Active series per tenant now (self-metrics). */
  public Map<String, Integer> activeSeries(long nowNanos) {
    return limits.activePerTenant(nowNanos);
  }

  private static String describe(GuardrailHit hit, String metric, String label) {
    String what =
        switch (hit) {
          case DENIED_LABEL -> "is on the deny list, removed";
          case NOT_ALLOWED_LABEL -> "is not on the metric's allow list, removed";
          case UUID_LABEL -> "has a UUID value, removed";
          case LONG_LABEL_VALUE -> "has a value over the length limit, cut";
          case TENANT_SERIES_LIMIT, METRIC_SERIES_LIMIT -> "";
        };
    return "metric '" + metric + "': label '" + label + "' " + what;
  }

  static MetricSeries overflow(MetricSeries series) {
    return withLabels(series, Labels.of(OVERFLOW_LABEL, "true"));
  }

  private static MetricSeries withLabels(MetricSeries series, Labels labels) {
    return new MetricSeries(
        series.tenant(),
        series.name(),
        labels,
        series.type(),
        series.temporality(),
        series.unit(),
        series.description());
  }
}
