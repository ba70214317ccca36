package dev.sextant.aggregator;

import static dev.sextant.aggregator.Points.T0;
import static dev.sextant.aggregator.Points.counter;
import static dev.sextant.aggregator.Points.gauge;
import static dev.sextant.aggregator.Points.histogram;
import static dev.sextant.aggregator.Points.labels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.HistogramPoint;
import dev.sextant.model.Labels;
import dev.sextant.protocol.pipeline.v1.Histogram;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PointConverterTest {
  private final PointConverter converter = new PointConverter();

  @Test
  void labelOrderDoesNotChangeTheSeries() {
    PointConverter.Converted a =
        converted(labels(counter("c", 1, T0), "b", "2", "a", "1", "c", "3"));
    PointConverter.Converted b =
        converted(labels(counter("c", 1, T0), "c", "3", "a", "1", "b", "2"));
    assertThat(a.series()).isEqualTo(b.series());
    assertThat(a.series().id()).isEqualTo(b.series().id());
    assertThat(a.series().labels()).isEqualTo(Labels.of("a", "1", "b", "2", "c", "3"));
  }

  @Test
  void aLabelWithAnEmptyValueIsNoLabel() {
    PointConverter.Converted withEmpty =
        converted(labels(gauge("g", 1, T0), "a", "1", "empty", ""));
    PointConverter.Converted without = converted(labels(gauge("g", 1, T0), "a", "1"));
    assertThat(withEmpty.series().id()).isEqualTo(without.series().id());
  }

  @Test
  void theTenantIsPartOfTheSeries() {
    MetricPoint point = gauge("g", 1, T0).build();
    PointConverter.Converted acme = (PointConverter.Converted) converter.convert("acme", point);
    PointConverter.Converted globex = (PointConverter.Converted) converter.convert("globex", point);
    assertThat(acme.series().tenant()).isEqualTo("acme");
    assertThat(acme.series().id()).isNotEqualTo(globex.series().id());
  }

  @Test
  void gaugesAndUntypedSamplesMayBeInfiniteOrNaNAndKeepTheirBits() {
    assertThat(converted(gauge("g", Double.NEGATIVE_INFINITY, T0)).point())
        .isEqualTo(new dev.sextant.model.NumberPoint(0, T0, Double.NEGATIVE_INFINITY));
    double staleMarker = Double.longBitsToDouble(0x7ff0000000000002L);
    for (MetricPoint.Builder point :
        List.of(
            gauge("g", staleMarker, T0),
            gauge("u", staleMarker, T0).setType(MetricType.METRIC_TYPE_UNKNOWN))) {
      double stored = ((dev.sextant.model.NumberPoint) converted(point).point()).value();
      assertThat(Double.doubleToRawLongBits(stored)).isEqualTo(0x7ff0000000000002L);
    }
    assertThat(rejection(counter("c", Double.NaN, T0))).isEqualTo(PointRejection.NAN_VALUE);
  }

  @Test
  void aHistogramKeepsMinAndMax() {
    MetricPoint.Builder point =
        histogram("h", T0, List.of(1.0), List.of(2L, 3L), 7.5)
            .setHistogram(
                Histogram.newBuilder()
                    .setCount(5)
                    .setSum(7.5)
                    .setMin(0.5)
                    .setMax(4)
                    .addBounds(1)
                    .addBucketCounts(2)
                    .addBucketCounts(3));
    assertThat(converted(point).point())
        .isEqualTo(new HistogramPoint(T0, T0, 5, 7.5, 0.5, 4, new double[] {1}, new long[] {2, 3}));
  }

  @Test
  void aHistogramWithoutBoundsHasOneBucket() {
    assertThat(converted(histogram("h", T0, List.of(), List.of(4L), 2)).point())
        .isEqualTo(
            new HistogramPoint(
                T0, T0, 4, 2, Double.NaN, Double.NaN, new double[] {}, new long[] {4}));
  }

  @Test
  void hostileHistogramsAreRejected() {
    assertThat(
            rejection(
                histogram("h", T0, List.of(1.0), List.of(1L, 1L), 1)
                    .setHistogram(
                        Histogram.newBuilder()
                            .setCount(0)
                            .addBounds(1)
                            .addBucketCounts(-1L) // 2^64 - 1 on the wire
                            .addBucketCounts(1))))
        .isEqualTo(PointRejection.INVALID_HISTOGRAM);
    assertThat(
            rejection(
                histogram("h", T0, List.of(1.0), List.of(1L, 1L), 1)
                    .setHistogram(
                        Histogram.newBuilder()
                            .setCount(2)
                            .setMin(3)
                            .setMax(1)
                            .addBounds(1)
                            .addBucketCounts(1)
                            .addBucketCounts(1))))
        .isEqualTo(PointRejection.INVALID_HISTOGRAM);
    assertThat(rejection(histogram("h", T0, List.of(Double.NaN), List.of(1L, 1L), 1)))
        .isEqualTo(PointRejection.INVALID_HISTOGRAM);
    assertThat(rejection(histogram("h", T0, List.of(1.0, 1.0), List.of(1L, 1L, 1L), 1)))
        .isEqualTo(PointRejection.INVALID_HISTOGRAM);
    assertThat(rejection(histogram("h", T0, List.of(), List.of(), 1)))
        .isEqualTo(PointRejection.INVALID_HISTOGRAM);
    // OTLP's histogram sum is optional: NaN says "unknown" and is kept.
    assertThat(converted(histogram("h", T0, List.of(), List.of(1L), Double.NaN)).point())
        .isInstanceOf(HistogramPoint.class);
    assertThat(rejection(histogram("h", T0, List.of(), List.of(1L), Double.POSITIVE_INFINITY)))
        .isEqualTo(PointRejection.INFINITE_SUM);
  }

  @Test
  void hostileNamesLabelsAndTimesAreRejected() {
    assertThat(rejection(counter("x".repeat(PointConverter.MAX_NAME_LENGTH + 1), 1, T0)))
        .isEqualTo(PointRejection.INVALID_NAME);
    assertThat(rejection(labels(counter("c", 1, T0), "", "v")))
        .isEqualTo(PointRejection.INVALID_LABELS);
    assertThat(
            rejection(
                labels(
                    counter("c", 1, T0),
                    IntStream.range(0, 2 * (PointConverter.MAX_LABELS + 1))
                        .mapToObj(i -> "l" + i / 2)
                        .toArray(String[]::new))))
        .isEqualTo(PointRejection.INVALID_LABELS);
    // fixed64 beyond Long.MAX_VALUE arrives negative.
    assertThat(rejection(counter("c", 1, -5).setStartTimeUnixNano(0)))
        .isEqualTo(PointRejection.INVALID_TIMESTAMP);
    assertThat(rejection(counter("c", 1, T0).setStartTimeUnixNano(-1)))
        .isEqualTo(PointRejection.INVALID_TIMESTAMP);
  }

  @Test
  void theRejectionMessageNamesTheMetricShortened() {
    PointConverter.Rejected rejected =
        (PointConverter.Rejected)
            converter.convert("acme", counter("n".repeat(500), Double.NaN, T0).build());
    assertThat(rejected.message()).isEqualTo("metric '" + "n".repeat(100) + "...': value is NaN");
  }

  private PointConverter.Converted converted(MetricPoint.Builder point) {
    PointConverter.Result result = converter.convert("acme", point.build());
    assertThat(result).isInstanceOf(PointConverter.Converted.class);
    return (PointConverter.Converted) result;
  }

  private PointRejection rejection(MetricPoint.Builder point) {
    PointConverter.Result result = converter.convert("acme", point.build());
    assertThat(result).isInstanceOf(PointConverter.Rejected.class);
    return ((PointConverter.Rejected) result).reason();
  }
}
