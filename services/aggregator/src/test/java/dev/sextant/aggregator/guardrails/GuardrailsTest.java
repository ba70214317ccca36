package dev.sextant.aggregator.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.aggregator.Tally;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardrailsTest {
  private static final long MINUTE = Duration.ofMinutes(1).toNanos();
  private static final String UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

  private final Tally<GuardrailHit> hits =
      new Tally<>(GuardrailHit.class, "re-aggregated", GuardrailHit::tag);

  private static GuardrailSettings settings(int perTenant, int perMetric) {
    return new GuardrailSettings(
        true,
        perTenant,
        perMetric,
        Duration.ofMinutes(10),
        List.of("trace_id", "user_id", "run_id"),
        Map.of("http.duration", Set.of("method", "route")),
        true,
        Set.of("service.instance.id"),
        40);
  }

  private static MetricSeries series(String tenant, String name, String... labels) {
    return new MetricSeries(
        tenant, name, Labels.of(labels), MetricType.COUNTER, Temporality.CUMULATIVE, "1", "");
  }

  @Test
  void deniedLabelsAreRemovedInEverySpelling() {
    Guardrails guardrails = new Guardrails(settings(100, 100));

    for (String spelling : List.of("user_id", "userId", "user.id", "mastra.user_id", "USER-ID")) {
      Guardrails.Route route =
          guardrails.route(series("t", "m", "model", "x", spelling, "u1"), 0, hits);
      assertThat(route.reaggregated()).as(spelling).isTrue();
      assertThat(route.series().labels()).isEqualTo(Labels.of("model", "x"));
    }
    assertThat(hits.counts()).containsEntry(GuardrailHit.DENIED_LABEL, 5);
    assertThat(hits.message()).contains("label 'user_id' is on the deny list, removed");
  }

  @Test
  void anAllowListKeepsOnlyItsLabelsAndOverridesTheDenyList() {
    Guardrails guardrails = new Guardrails(settings(100, 100));

    Guardrails.Route route =
        guardrails.route(
            series("t", "http.duration", "method", "GET", "route", "/a", "pod", "p-1"), 0, hits);

    assertThat(route.series().labels()).isEqualTo(Labels.of("method", "GET", "route", "/a"));
    assertThat(hits.counts()).containsOnlyKeys(GuardrailHit.NOT_ALLOWED_LABEL);
  }

  @Test
  void uuidValuesAreRemovedExceptWhereExemptAndLongValuesAreCut() {
    Guardrails guardrails = new Guardrails(settings(100, 100));

    Guardrails.Route route =
        guardrails.route(
            series(
                "t", "m", "session", UUID, "service.instance.id", UUID, "prompt", "p".repeat(50)),
            0,
            hits);

    assertThat(route.series().labels())
        .isEqualTo(Labels.of("service.instance.id", UUID, "prompt", "p".repeat(40)));
    assertThat(hits.counts())
        .containsEntry(GuardrailHit.UUID_LABEL, 1)
        .containsEntry(GuardrailHit.LONG_LABEL_VALUE, 1);
  }

  @Test
  void aSeriesUntouchedByTheRulesIsItsOwnRoute() {
    Guardrails guardrails = new Guardrails(settings(100, 100));
    MetricSeries series = series("t", "m", "model", "x");

    assertThat(guardrails.route(series, 0, hits)).isEqualTo(new Guardrails.Route(series, false));
    assertThat(hits.total()).isZero();
  }

  @Test
  void newSeriesBeyondAMetricsLimitGoToItsOverflowSeriesAndKnownOnesStay() {
    Guardrails guardrails = new Guardrails(settings(100, 2));

    guardrails.route(series("t", "m", "k", "1"), 0, hits);
    guardrails.route(series("t", "m", "k", "2"), 0, hits);
    Guardrails.Route third = guardrails.route(series("t", "m", "k", "3"), 0, hits);
    Guardrails.Route again = guardrails.route(series("t", "m", "k", "1"), 0, hits);
    Guardrails.Route otherMetric = guardrails.route(series("t", "n", "k", "3"), 0, hits);

    assertThat(third.reaggregated()).isTrue();
    assertThat(third.series().labels()).isEqualTo(Labels.of("otel_metric_overflow", "true"));
    assertThat(third.series().name()).isEqualTo("m");
    assertThat(again.reaggregated()).isFalse();
    assertThat(otherMetric.reaggregated()).isFalse();
    assertThat(hits.counts()).containsOnly(Map.entry(GuardrailHit.METRIC_SERIES_LIMIT, 1));
  }

  @Test
  void aTenantsLimitCountsEveryMetricAndOtherTenantsAreApart() {
    Guardrails guardrails = new Guardrails(settings(2, 100));

    guardrails.route(series("acme", "a", "k", "1"), 0, hits);
    guardrails.route(series("acme", "b", "k", "1"), 0, hits);
    Guardrails.Route over = guardrails.route(series("acme", "c", "k", "1"), 0, hits);
    Guardrails.Route globex = guardrails.route(series("globex", "c", "k", "1"), 0, hits);

    assertThat(over.reaggregated()).isTrue();
    assertThat(globex.reaggregated()).isFalse();
    assertThat(hits.counts()).containsOnly(Map.entry(GuardrailHit.TENANT_SERIES_LIMIT, 1));
    assertThat(guardrails.activeSeries(0))
        .containsOnly(Map.entry("acme", 2), Map.entry("globex", 1));
  }

  @Test
  void idleSeriesStopCountingSoNewOnesFitAgain() {
    Guardrails guardrails = new Guardrails(settings(100, 1));
    guardrails.route(series("t", "m", "k", "1"), 0, hits);

    Guardrails.Route whileActive = guardrails.route(series("t", "m", "k", "2"), 5 * MINUTE, hits);
    Guardrails.Route afterIdle = guardrails.route(series("t", "m", "k", "2"), 11 * MINUTE, hits);

    assertThat(whileActive.reaggregated()).isTrue();
    assertThat(afterIdle.reaggregated()).isFalse();
  }

  @Test
  void turnedOffTheyChangeNothing() {
    GuardrailSettings on = settings(1, 1);
    Guardrails off =
        new Guardrails(
            new GuardrailSettings(
                false,
                on.maxSeriesPerTenant(),
                on.maxSeriesPerMetric(),
                on.seriesIdleTimeout(),
                on.deniedLabels(),
                on.allowedLabels(),
                on.blockUuidValues(),
                on.uuidExemptLabels(),
                on.maxLabelValueLength()));
    MetricSeries series = series("t", "m", "user_id", UUID);

    assertThat(off.route(series, 0, hits).series()).isEqualTo(series);
    assertThat(off.route(series("t", "m", "k", "2"), 0, hits).reaggregated()).isFalse();
    assertThat(hits.total()).isZero();
  }
}
