package dev.sextant.storage.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.Labels;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.Temporality;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesOrderTest {
  private static MetricSeries series(String name, String... labels) {
    return new MetricSeries(
        "acme", name, Labels.of(labels), MetricType.GAUGE, Temporality.NONE, "", "");
  }

  @Test
  void ordersByNameThenLabelPairsWithPrefixesFirst() {
    MetricSeries a = series("a", "job", "z");
    MetricSeries bEmpty = series("b");
    MetricSeries bCode200 = series("b", "code", "200");
    MetricSeries bCode200Env = series("b", "code", "200", "env", "prod");
    MetricSeries bCode200Job = series("b", "code", "200", "job", "api");
    MetricSeries bCode500 = series("b", "code", "500");
    List<MetricSeries> shuffled =
        new ArrayList<>(List.of(bCode500, bCode200Job, a, bCode200Env, bEmpty, bCode200));

    shuffled.sort(SeriesOrder.INSTANCE);

    assertThat(shuffled).containsExactly(a, bEmpty, bCode200, bCode200Env, bCode200Job, bCode500);
  }

  @Test
  void seriesQueryMatchesEveryMatcher() {
    SeriesQuery query =
        new SeriesQuery(
            "acme",
            List.of(
                LabelMatcher.equal(LabelMatcher.METRIC_NAME, "up"),
                LabelMatcher.of("env", LabelMatcher.Type.NOT_EQUAL, "")),
            null);

    assertThat(query.matches(series("up", "env", "prod"))).isTrue();
    assertThat(query.matches(series("up"))).isFalse();
    assertThat(query.matches(series("down", "env", "prod"))).isFalse();
  }
}
