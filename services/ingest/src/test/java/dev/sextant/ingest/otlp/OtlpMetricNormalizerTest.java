package dev.sextant.ingest.otlp;

import static dev.sextant.ingest.Otlp.attr;
import static dev.sextant.ingest.Otlp.counter;
import static dev.sextant.ingest.Otlp.gauge;
import static dev.sextant.ingest.Otlp.histogram;
import static dev.sextant.ingest.Otlp.metrics;
import static dev.sextant.ingest.Otlp.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.ingest.Otlp;
import dev.sextant.ingest.pipeline.SeriesCatalog;
import dev.sextant.ingest.pipeline.StreamPoint;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpMetricNormalizerTest {
  private static final List<String> PROMOTED =
      List.of("service.name", "service.namespace", "service.instance.id");
  private static final LimitSettings LIMITS = new LimitSettings(16, 64, 10_000, 64, 8, 8);

  private final SeriesCatalog catalog = new SeriesCatalog(1000);
  private final OtlpMetricNormalizer normalizer =
      new OtlpMetricNormalizer(LIMITS, Duration.ofHours(1), PROMOTED, catalog);

  /** The points as the aggregator reads them (series and values), whatever form they took. */
  private Normalized<MetricPoint> normalize(ExportMetricsServiceRequest request) {
    return resolved(normalizer.normalize("acme", request, Otlp.nowNanos()));
  }

  private static Normalized<MetricPoint> resolved(Normalized<StreamPoint> normalized) {
    return new Normalized<>(
        normalized.records().stream().map(StreamPoint::resolved).toList(),
        normalized.received(),
        normalized.rejections(),
        normalized.truncations());
  }

  @Test
  void mapsTypesAndTemporality() {
    Metric upDown =
        Metric.newBuilder()
            .setName("queue.size")
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(false)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(number(-3)))
            .build();
    Normalized<MetricPoint> result =
        normalize(
            metrics(
                "svc",
                counter("requests", number(5)),
                upDown,
                gauge("temp", number(21.5)),
                histogram("latency", List.of(0.1, 1.0), List.of(1L, 2L, 3L), 4.2)));

    assertThat(result.rejections().total()).isZero();
    assertThat(result.records())
        .extracting(MetricPoint::getName, MetricPoint::getType, MetricPoint::getTemporality)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "requests", MetricType.METRIC_TYPE_COUNTER, Temporality.TEMPORALITY_CUMULATIVE),
            org.assertj.core.groups.Tuple.tuple(
                "queue.size",
                MetricType.METRIC_TYPE_UP_DOWN_COUNTER,
                Temporality.TEMPORALITY_DELTA),
            org.assertj.core.groups.Tuple.tuple(
                "temp", MetricType.METRIC_TYPE_GAUGE, Temporality.TEMPORALITY_NONE),
            org.assertj.core.groups.Tuple.tuple(
                "latency", MetricType.METRIC_TYPE_HISTOGRAM, Temporality.TEMPORALITY_DELTA));
    assertThat(result.records().get(0).getNumber()).isEqualTo(5);
    assertThat(result.records().get(0).getUnit()).isEqualTo("1");
    assertThat(result.records().get(1).getNumber()).isEqualTo(-3);
    var histogram = result.records().get(3).getHistogram();
    assertThat(histogram.getBoundsList()).containsExactly(0.1, 1.0);
    assertThat(histogram.getBucketCountsList()).containsExactly(1L, 2L, 3L);
    assertThat(histogram.getCount()).isEqualTo(6);
    assertThat(histogram.getSum()).isEqualTo(4.2);
    assertThat(histogram.getMin()).isNaN();
  }

  @Test
  void labelsArePointAttributesPlusPromotedResourceAttributes() {
    ExportMetricsServiceRequest request =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(
                        Resource.newBuilder()
                            .addAttributes(attr("service.name", "checkout"))
                            .addAttributes(attr("service.instance.id", "i-1"))
                            .addAttributes(attr("host.name", "not promoted")))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                counter(
                                    "http.requests",
                                    number(1)
                                        .addAttributes(attr("http.method", "GET"))
                                        .addAttributes(attr("service.instance.id", "point wins"))
                                        .addAttributes(attr("empty", ""))
                                        .addAttributes(
                                            attr(
                                                "codes",
                                                AnyValue.newBuilder()
                                                    .setArrayValue(
                                                        ArrayValue.newBuilder()
                                                            .addValues(
                                                                AnyValue.newBuilder()
                                                                    .setIntValue(200))
                                                            .addValues(
                                                                AnyValue.newBuilder()
                                                                    .setStringValue("x\"y")))
                                                    .build()))))))
            .build();

    MetricPoint point = normalize(request).records().getFirst();

    assertThat(point.getLabelsList())
        .extracting(Label::getName, Label::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("codes", "[200,\"x\\\"y\"]"),
            org.assertj.core.groups.Tuple.tuple("http.method", "GET"),
            org.assertj.core.groups.Tuple.tuple("service.instance.id", "point wins"),
            org.assertj.core.groups.Tuple.tuple("service.name", "checkout"));
  }

  @Test
  void aSeriesIsLookedUpFromItsLabelsWhateverTheAttributeOrder() {
    ExportMetricsServiceRequest first =
        metrics(
            "svc",
            counter(
                "calls",
                number(1).addAttributes(attr("a", "1")).addAttributes(attr("b", "2")),
                number(2).addAttributes(attr("a", "1")).addAttributes(attr("b", "3"))));
    ExportMetricsServiceRequest again =
        metrics(
            "svc",
            counter(
                "calls",
                number(5)
                    .addAttributes(attr("b", "2"))
                    .addAttributes(attr("a", "1"))
                    .addAttributes(attr("a", "duplicate, dropped"))));

    List<StreamPoint> made = normalizer.normalize("acme", first, Otlp.nowNanos()).records();
    Normalized<StreamPoint> later = normalizer.normalize("acme", again, Otlp.nowNanos());
    StreamPoint otherTenant =
        normalizer.normalize("globex", again, Otlp.nowNanos()).records().getFirst();

    StreamPoint repeated = later.records().getFirst();
    assertThat(repeated.series()).isSameAs(made.get(0).series());
    assertThat(made.get(1).series()).isNotSameAs(made.get(0).series());
    assertThat(otherTenant.series()).isNotSameAs(made.get(0).series());
    // The reference form: the ref, times and value only.
    assertThat(repeated.point().getSeriesRef()).isEqualTo(repeated.series().ref());
    assertThat(repeated.point().getName()).isEmpty();
    assertThat(repeated.point().getLabelsCount()).isZero();
    assertThat(repeated.point().getNumber()).isEqualTo(5);
    assertThat(later.truncations().describe()).contains("duplicate_attribute x1");
    assertThat(repeated.resolved().getLabelsList())
        .extracting(Label::getName, Label::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "1"),
            org.assertj.core.groups.Tuple.tuple("b", "2"),
            org.assertj.core.groups.Tuple.tuple("service.name", "svc"));
  }

  @Test
  void withoutACatalogPointsGoWholeAndReadTheSame() {
    OtlpMetricNormalizer whole =
        new OtlpMetricNormalizer(LIMITS, Duration.ofHours(1), PROMOTED, new SeriesCatalog(0));
    ExportMetricsServiceRequest request =
        metrics(
            "svc",
            counter(
                "calls",
                number(1)
                    .addAttributes(attr("route", "/a"))
                    .addAttributes(attr("service.name", "point wins"))
                    .addAttributes(attr("empty", "")),
                number(2).addAttributes(attr("route", "x".repeat(100)))),
            gauge("temp", number(21.5)),
            histogram("latency", List.of(0.1, 1.0), List.of(1L, 2L, 3L), 4.2));
    long now = Otlp.nowNanos();

    Normalized<StreamPoint> sentWhole = whole.normalize("acme", request, now);
    Normalized<MetricPoint> withRefs = resolved(normalizer.normalize("acme", request, now));

    assertThat(sentWhole.records()).allSatisfy(p -> assertThat(p.series()).isNull());
    assertThat(sentWhole.records()).extracting(StreamPoint::point).isEqualTo(withRefs.records());
    assertThat(sentWhole.truncations().describe())
        .isEqualTo(withRefs.truncations().describe())
        .contains("attribute_value_length x1");
  }

  @Test
  void aPointWithManyAttributesGetsThemAllOnceInOrderWhenLimitsAreOff() {
    OtlpMetricNormalizer unlimited =
        new OtlpMetricNormalizer(
            LimitSettings.UNLIMITED, Duration.ofHours(1), PROMOTED, new SeriesCatalog(10));
    var point = number(1);
    for (int i = 199; i >= 0; i--) {
      point.addAttributes(attr(String.format("k%03d", i), "v" + i));
    }
    point.addAttributes(attr("k007", "duplicate, dropped"));

    Normalized<MetricPoint> result =
        resolved(
            unlimited.normalize("acme", metrics("svc", counter("calls", point)), Otlp.nowNanos()));

    List<Label> labels = result.records().getFirst().getLabelsList();
    assertThat(labels).hasSize(201);
    assertThat(labels).extracting(Label::getName).isSorted().doesNotHaveDuplicates();
    assertThat(labels.get(7).getValue()).isEqualTo("v7");
    assertThat(labels.get(200))
        .isEqualTo(Label.newBuilder().setName("service.name").setValue("svc").build());
    assertThat(result.truncations().describe()).isEqualTo("limits applied: duplicate_attribute x1");
  }

  @Test
  void nanAndInfinityAreRejectedPerPoint() {
    Normalized<MetricPoint> result =
        normalize(
            metrics(
                "svc",
                counter("c", number(1), number(Double.NaN), number(Double.POSITIVE_INFINITY)),
                gauge("g", number(Double.NEGATIVE_INFINITY), number(Double.NaN)),
                histogram("h", List.of(1.0), List.of(1L, 1L), Double.POSITIVE_INFINITY),
                histogram("h2", List.of(1.0), List.of(1L, 1L), Double.NaN)));

    assertThat(result.received()).isEqualTo(7);
    assertThat(result.records())
        .extracting(MetricPoint::getName, MetricPoint::getNumber)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c", 1.0),
            org.assertj.core.groups.Tuple.tuple("g", Double.NEGATIVE_INFINITY));
    assertThat(result.rejections().counts())
        .containsEntry(RejectReason.NAN_VALUE, 3)
        .containsEntry(RejectReason.INFINITE_VALUE, 2);
  }

  private static ExponentialHistogramDataPoint.Builder exponentialPoint() {
    long now = Otlp.nowNanos();
    return ExponentialHistogramDataPoint.newBuilder()
        .setTimeUnixNano(now)
        .setStartTimeUnixNano(now - 10)
        .setScale(3)
        .setCount(7)
        .setSum(-2.5)
        .setZeroCount(1)
        .setZeroThreshold(1e-9)
        .setPositive(
            ExponentialHistogramDataPoint.Buckets.newBuilder()
                .setOffset(-2)
                .addBucketCounts(1)
                .addBucketCounts(0)
                .addBucketCounts(3))
        .setNegative(
            ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(5).addBucketCounts(2));
  }

  private static Metric exponential(ExponentialHistogramDataPoint.Builder... points) {
    ExponentialHistogram.Builder histogram =
        ExponentialHistogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    for (ExponentialHistogramDataPoint.Builder point : points) {
      histogram.addDataPoints(point);
    }
    return Metric.newBuilder()
        .setName("exp")
        .setUnit("ms")
        .setExponentialHistogram(histogram)
        .build();
  }

  private static Metric summary(SummaryDataPoint.Builder... points) {
    Summary.Builder summary = Summary.newBuilder();
    for (SummaryDataPoint.Builder point : points) {
      summary.addDataPoints(point);
    }
    return Metric.newBuilder().setName("rpc").setSummary(summary).build();
  }

  private static SummaryDataPoint.Builder summaryPoint(double... quantilesAndValues) {
    SummaryDataPoint.Builder point =
        SummaryDataPoint.newBuilder().setTimeUnixNano(Otlp.nowNanos()).setCount(10).setSum(4.5);
    for (int i = 0; i < quantilesAndValues.length; i += 2) {
      point.addQuantileValues(
          SummaryDataPoint.ValueAtQuantile.newBuilder()
              .setQuantile(quantilesAndValues[i])
              .setValue(quantilesAndValues[i + 1]));
    }
    return point;
  }

  @Test
  void exponentialHistogramsKeepEveryBucketAsSent() {
    assertThat(
            normalize(metrics("svc", exponential(exponentialPoint()))).rejections().describe("p"))
        .isEmpty();
    MetricPoint point =
        normalize(metrics("svc", exponential(exponentialPoint()))).records().getFirst();

    assertThat(point.getType()).isEqualTo(MetricType.METRIC_TYPE_EXPONENTIAL_HISTOGRAM);
    assertThat(point.getTemporality()).isEqualTo(Temporality.TEMPORALITY_DELTA);
    var h = point.getExponentialHistogram();
    assertThat(h.getScale()).isEqualTo(3);
    assertThat(h.getCount()).isEqualTo(7);
    assertThat(h.getSum()).isEqualTo(-2.5);
    assertThat(h.getZeroCount()).isEqualTo(1);
    assertThat(h.getZeroThreshold()).isEqualTo(1e-9);
    assertThat(h.getPositive().getOffset()).isEqualTo(-2);
    assertThat(h.getPositive().getBucketCountsList()).containsExactly(1L, 0L, 3L);
    assertThat(h.getNegative().getOffset()).isEqualTo(5);
    assertThat(h.getNegative().getBucketCountsList()).containsExactly(2L);
    assertThat(h.getMin()).isNaN();
  }

  @Test
  void invalidExponentialHistogramsAreRejectedPerPoint() {
    Normalized<MetricPoint> result =
        normalize(
            metrics(
                "svc",
                exponential(
                    exponentialPoint(),
                    exponentialPoint().setScale(21),
                    exponentialPoint().setScale(-11),
                    exponentialPoint().setCount(8),
                    exponentialPoint().setZeroThreshold(-1),
                    exponentialPoint().setZeroThreshold(Double.POSITIVE_INFINITY),
                    exponentialPoint().setSum(Double.NaN),
                    exponentialPoint()
                        .setPositive(
                            ExponentialHistogramDataPoint.Buckets.newBuilder()
                                .setOffset(Integer.MAX_VALUE)
                                .addBucketCounts(1)
                                .addBucketCounts(3)))));

    assertThat(result.records()).hasSize(1);
    assertThat(result.rejections().counts())
        .containsEntry(RejectReason.INVALID_HISTOGRAM, 6)
        .containsEntry(RejectReason.NAN_VALUE, 1);
    assertThat(result.rejections().describe("data points")).contains("scale 21 is outside -10..20");
  }

  @Test
  void summariesKeepTheirQuantilesSortedAndNanQuantileValues() {
    MetricPoint point =
        normalize(metrics("svc", summary(summaryPoint(0.99, 9.0, 0.5, Double.NaN, 0, 0.1))))
            .records()
            .getFirst();

    assertThat(point.getType()).isEqualTo(MetricType.METRIC_TYPE_SUMMARY);
    assertThat(point.getTemporality()).isEqualTo(Temporality.TEMPORALITY_NONE);
    var s = point.getSummary();
    assertThat(s.getCount()).isEqualTo(10);
    assertThat(s.getSum()).isEqualTo(4.5);
    assertThat(s.getQuantilesList())
        .extracting(q -> q.getQuantile())
        .containsExactly(0.0, 0.5, 0.99);
    assertThat(s.getQuantiles(1).getValue()).isNaN();
  }

  @Test
  void invalidSummariesAreRejectedPerPoint() {
    Normalized<MetricPoint> result =
        normalize(
            metrics(
                "svc",
                summary(
                    summaryPoint(0.5, 1),
                    summaryPoint(1.5, 1),
                    summaryPoint(0.5, 1, 0.5, 2),
                    summaryPoint(0.9, Double.POSITIVE_INFINITY),
                    summaryPoint().setSum(Double.NaN),
                    summaryPoint().setFlags(1))));

    assertThat(result.records()).hasSize(1);
    assertThat(result.rejections().counts())
        .containsEntry(RejectReason.INVALID_SUMMARY, 2)
        .containsEntry(RejectReason.INFINITE_VALUE, 1)
        .containsEntry(RejectReason.NAN_VALUE, 1)
        .containsEntry(RejectReason.NO_RECORDED_VALUE, 1);
  }

  @Test
  void aNumberPointWithNoRecordedValueIsAStalenessMarker() {
    MetricPoint point =
        normalize(metrics("svc", gauge("g", number(1).setFlags(1)))).records().getFirst();

    assertThat(Double.doubleToRawLongBits(point.getNumber())).isEqualTo(0x7ff0000000000002L);
    assertThat(
            OtlpMetricNormalizer.count(
                metrics("svc", exponential(exponentialPoint()), summary(summaryPoint()))))
        .isEqualTo(2);
  }

  @Test
  void invalidPointsAreRejected() {
    long now = Otlp.nowNanos();
    Metric noTemporality =
        Metric.newBuilder()
            .setName("nt")
            .setSum(Sum.newBuilder().setIsMonotonic(true).addDataPoints(number(1)))
            .build();
    Metric badBuckets =
        Metric.newBuilder()
            .setName("hb")
            .setHistogram(
                io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(now)
                            .setCount(5)
                            .addExplicitBounds(1)
                            .addBucketCounts(1)
                            .addBucketCounts(1))
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(now)
                            .setCount(2)
                            .addExplicitBounds(2)
                            .addExplicitBounds(1)
                            .addBucketCounts(1)
                            .addBucketCounts(1)
                            .addBucketCounts(0)))
            .build();
    Normalized<MetricPoint> result =
        normalize(
            metrics(
                "svc",
                noTemporality,
                badBuckets,
                Metric.newBuilder()
                    .setName("")
                    .setGauge(
                        io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                            .addDataPoints(number(1)))
                    .build(),
                gauge("novalue", number(1).clearAsDouble()),
                gauge("future", number(1).setTimeUnixNano(now + Duration.ofDays(1).toNanos())),
                gauge("notime", number(1).setTimeUnixNano(0))));

    assertThat(result.records()).isEmpty();
    assertThat(result.rejections().counts())
        .containsEntry(RejectReason.MISSING_TEMPORALITY, 1)
        .containsEntry(RejectReason.INVALID_HISTOGRAM, 2)
        .containsEntry(RejectReason.MISSING_METRIC_NAME, 1)
        .containsEntry(RejectReason.MISSING_VALUE, 1)
        .containsEntry(RejectReason.TIME_IN_FUTURE, 1)
        .containsEntry(RejectReason.MISSING_TIME, 1);
  }

  @Test
  void histogramWithoutBucketsOrSumKeepsItsCount() {
    long now = Otlp.nowNanos();
    Metric metric =
        Metric.newBuilder()
            .setName("h")
            .setHistogram(
                io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder().setTimeUnixNano(now).setCount(9)))
            .build();
    var histogram = normalize(metrics("svc", metric)).records().getFirst().getHistogram();
    assertThat(histogram.getBoundsList()).isEmpty();
    assertThat(histogram.getBucketCountsList()).containsExactly(9L);
    assertThat(histogram.getSum()).isNaN();
  }

  @Test
  void intValuesBecomeDoubles() {
    MetricPoint point =
        normalize(metrics("svc", counter("c", number(0).setAsInt(42)))).records().getFirst();
    assertThat(point.getNumber()).isEqualTo(42.0);
  }
}
