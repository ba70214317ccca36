package dev.sextant.aggregator;

import static dev.sextant.aggregator.Points.SECOND;
import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.batch;
import static dev.sextant.aggregator.Points.counter;
import static dev.sextant.aggregator.Points.labels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.aggregator.PointConverter.Rejected;
import dev.sextant.aggregator.PointConverter.Series;
import dev.sextant.aggregator.PointConverter.SeriesResult;
import dev.sextant.model.Labels;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import org.junit.jupiter.api.Test;

class SeriesRefsTest {
  private final SeriesRefs refs = new SeriesRefs();

  private static MetricPoint.Builder reference(long ref) {
    return Points.reference(ref, T0 + SECOND, 1);
  }

  @Test
  void aReferenceResolvesToTheSeriesItsRefWasLastDefinedAs() {
    SeriesResult[] first =
        refs.resolve(
            batch(
                1,
                "acme",
                labels(counter("calls_total", 1, T0 + SECOND), "route", "/a").setSeriesRef(7),
                reference(7),
                // Points without a ref carry their own series and are left to the converter.
                labels(counter("calls_total", 1, T0 + SECOND), "route", "/x")));
    assertThat(first[2]).isNull();
    assertThat(((Series) first[1]).series()).isSameAs(((Series) first[0]).series());
    assertThat(((Series) first[1]).series().labels()).isEqualTo(Labels.of("route", "/a"));

    refs.resolve(
        batch(2, "acme", labels(counter("calls_total", 1, T0), "route", "/b").setSeriesRef(7)));
    SeriesResult[] later = refs.resolve(batch(3, "acme", reference(7)));
    assertThat(((Series) later[0]).series().labels()).isEqualTo(Labels.of("route", "/b"));
  }

  @Test
  void aBatchWithoutRefsNeedsNoTable() {
    assertThat(refs.resolve(batch(1, "acme", counter("calls_total", 1, T0 + SECOND)))).isNull();
  }

  @Test
  void anInvalidDefinitionRejectsItsReferencesForTheSameReason() {
    SeriesResult[] resolved =
        refs.resolve(
            batch(
                1,
                "acme",
                labels(counter("bad_total", 1, T0 + SECOND), "__name__", "x").setSeriesRef(3),
                reference(3)));
    assertThat(resolved[1]).isEqualTo(resolved[0]);
    assertThat(((Rejected) resolved[1]).reason()).isEqualTo(PointRejection.INVALID_LABELS);
  }

  @Test
  void refsAreNotSharedAcrossTenantsAndUnknownOrOutOfRangeRefsAreRejected() {
    refs.resolve(
        batch(1, "acme", labels(counter("calls_total", 1, T0), "route", "/a").setSeriesRef(1)));

    SeriesResult[] resolved =
        refs.resolve(
            batch(
                2,
                "globex",
                reference(1),
                reference(2),
                reference(SeriesRefs.MAX_REF + 1),
                reference(-1)));

    assertThat(resolved)
        .extracting(r -> ((Rejected) r).reason())
        .containsOnly(PointRejection.INVALID_SERIES_REF);
    assertThat(((Rejected) resolved[0]).message()).contains("another tenant");
    assertThat(((Rejected) resolved[1]).message()).contains("not defined on this stream");
    assertThat(((Rejected) resolved[2]).message()).contains("above");
    assertThat(((Rejected) resolved[3]).message()).contains("above");
  }

  @Test
  void theLargestRefIsUsable() {
    SeriesResult[] resolved =
        refs.resolve(
            batch(
                1,
                "acme",
                labels(counter("calls_total", 1, T0), "route", "/a")
                    .setSeriesRef(SeriesRefs.MAX_REF),
                reference(SeriesRefs.MAX_REF)));
    assertThat(resolved[1]).isInstanceOf(Series.class);
  }
}
