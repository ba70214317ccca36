package dev.sextant.storage.testkit;

import static dev.sextant.storage.testkit.Fixtures.T0;
import static dev.sextant.storage.testkit.Fixtures.TENANT;
import static dev.sextant.storage.testkit.Fixtures.seconds;
import static dev.sextant.storage.testkit.Fixtures.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.ExponentialHistogramPoint.Buckets;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.Labels;
import dev.sextant.model.MetricMetadata;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.MetricSeries;
import dev.sextant.model.MetricType;
import dev.sextant.model.MetricWrite;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import dev.sextant.model.SummaryPoint.Quantile;
import dev.sextant.model.Temporality;
import dev.sextant.storage.MetricStore;
import dev.sextant.storage.query.LabelMatcher;
import dev.sextant.storage.query.LabelMatcher.Type;
import dev.sextant.storage.query.SeriesPoints;
import dev.sextant.storage.query.SeriesQuery;
import dev.sextant.storage.query.StepSampling;
import dev.sextant.storage.query.TimeRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The metric store contract: exact points of every kind, replacement and late points across
 * flushes, series lookup, deletion. Reads follow {@link MetricStore#flush()}: a backend may make
 * points readable only within its declared visibility lag.
 */
public abstract class MetricStoreConformance extends StorageConformance {

  private static final double[] BOUNDS = {0.005, 0.01, 0.1, 1.0, 10.0};

  private MetricStore metrics() {
    return storage().metrics();
  }

  /** Writes and makes the points readable: reads below then see them on every backend. */
  private void write(MetricWrite... writes) {
    await(metrics().write(List.of(writes)));
    await(metrics().flush());
  }

  private void writeUnflushed(MetricWrite... writes) {
    await(metrics().write(List.of(writes)));
  }

  private static MetricWrite number(MetricSeries series, long time, double value) {
    return new MetricWrite(series, new NumberPoint(T0, time, value));
  }

  private List<MetricPoint> points(MetricSeries series, TimeRange range) {
    return await(metrics().points(series.tenant(), series.id(), range));
  }

  private List<MetricPoint> points(MetricSeries series) {
    return points(series, TimeRange.ALL);
  }

  private List<MetricSeries> findSeries(TimeRange range, LabelMatcher... matchers) {
    return await(metrics().series(new SeriesQuery(TENANT, List.of(matchers), range)));
  }

  private List<MetricSeries> findSeries(LabelMatcher... matchers) {
    return findSeries(TimeRange.ALL, matchers);
  }

  private static LabelMatcher matcher(String name, Type type, String value) {
    return LabelMatcher.of(name, type, value);
  }

  private static LabelMatcher name(String metricName) {
    return LabelMatcher.equal(LabelMatcher.METRIC_NAME, metricName);
  }

  // ---------------------------------------------------------------- latest points, metadata

  @Test
  void latestPointsGiveTheNewestPointOfEachKnownSeries() {
    MetricSeries a = series("requests", MetricType.COUNTER, "job", "a");
    MetricSeries b = series("requests", MetricType.COUNTER, "job", "b");
    MetricSeries unknown = series("requests", MetricType.COUNTER, "job", "never-written");
    // Not flushed: the writer's own unreadable points count too.
    writeUnflushed(
        number(a, T0 + seconds(20), 2), number(a, T0 + seconds(10), 1), number(b, T0, 7));

    assertThat(await(metrics().latestPoints(TENANT, List.of(a.id(), b.id(), unknown.id()))))
        .containsOnly(
            entry(a.id(), new NumberPoint(T0, T0 + seconds(20), 2)),
            entry(b.id(), new NumberPoint(T0, T0, 7)));
    assertThat(await(metrics().latestPoints(Fixtures.OTHER_TENANT, List.of(a.id())))).isEmpty();
  }

  @Test
  void metadataKeepsTheFirstTypeAndTemporalityAndTheLatestUnitAndDescription() {
    await(
        metrics()
            .writeMetadata(
                List.of(
                    new MetricMetadata(
                        TENANT,
                        "tokens",
                        MetricType.COUNTER,
                        Temporality.DELTA,
                        "{token}",
                        "Tokens used"),
                    new MetricMetadata(
                        TENANT,
                        "latency",
                        MetricType.HISTOGRAM,
                        Temporality.CUMULATIVE,
                        "ms",
                        ""))));
    await(
        metrics()
            .writeMetadata(
                List.of(
                    new MetricMetadata(
                        TENANT, "tokens", MetricType.GAUGE, Temporality.NONE, "1", "Tokens"))));

    assertThat(await(metrics().metadata(TENANT, "tokens")))
        .containsExactly(
            new MetricMetadata(
                TENANT, "tokens", MetricType.COUNTER, Temporality.DELTA, "1", "Tokens"));
    assertThat(await(metrics().metadata(TENANT, null)))
        .extracting(MetricMetadata::name)
        .containsExactly("latency", "tokens");
    assertThat(await(metrics().metadata(TENANT, "missing"))).isEmpty();
    assertThat(await(metrics().metadata(Fixtures.OTHER_TENANT, null))).isEmpty();
  }

  // ---------------------------------------------------------------- points

  @Test
  void counterPointsReadBackExactlyOldestFirst() {
    MetricSeries counter = series("http_requests_total", MetricType.COUNTER, "job", "api");
    write(
        new MetricWrite(counter, new NumberPoint(T0, T0 + seconds(20), 1e300)),
        new MetricWrite(counter, new NumberPoint(T0, T0 + seconds(10), 0.1 + 0.2)),
        new MetricWrite(counter, new NumberPoint(0, T0 + seconds(30), 4.9e-324)));

    assertThat(points(counter))
        .containsExactly(
            new NumberPoint(T0, T0 + seconds(10), 0.1 + 0.2),
            new NumberPoint(T0, T0 + seconds(20), 1e300),
            new NumberPoint(0, T0 + seconds(30), 4.9e-324));
  }

  @Test
  void gaugePointsKeepNonFiniteAndSignedValues() {
    MetricSeries gauge = series("queue_depth", MetricType.GAUGE, "queue", "jobs");
    write(
        number(gauge, T0 + 1, -0.0),
        number(gauge, T0 + 2, Double.NaN),
        number(gauge, T0 + 3, Double.POSITIVE_INFINITY),
        number(gauge, T0 + 4, Double.NEGATIVE_INFINITY),
        number(gauge, T0 + 5, -42.5),
        number(gauge, T0 + 6, Long.MAX_VALUE));

    assertThat(points(gauge))
        .containsExactly(
            new NumberPoint(T0, T0 + 1, -0.0),
            new NumberPoint(T0, T0 + 2, Double.NaN),
            new NumberPoint(T0, T0 + 3, Double.POSITIVE_INFINITY),
            new NumberPoint(T0, T0 + 4, Double.NEGATIVE_INFINITY),
            new NumberPoint(T0, T0 + 5, -42.5),
            new NumberPoint(T0, T0 + 6, Long.MAX_VALUE));
  }

  @Test
  void histogramPointsReadBackExactly() {
    MetricSeries histogram =
        series("http_request_duration_seconds", MetricType.HISTOGRAM, "route", "/checkout");
    HistogramPoint full =
        new HistogramPoint(
            T0,
            T0 + seconds(10),
            21,
            12.345678901234567,
            0.001,
            9.75,
            BOUNDS,
            new long[] {1, 2, 3, 4, 5, 6});
    HistogramPoint unknownMinMax =
        new HistogramPoint(
            T0,
            T0 + seconds(20),
            Long.MAX_VALUE,
            1e-9,
            Double.NaN,
            Double.NaN,
            BOUNDS,
            new long[] {0, 0, 0, 0, 0, Long.MAX_VALUE});
    HistogramPoint onlyInfBucket =
        new HistogramPoint(0, T0 + seconds(30), 3, 7.5, 2.5, 2.5, new double[0], new long[] {3});

    write(
        new MetricWrite(histogram, full),
        new MetricWrite(histogram, unknownMinMax),
        new MetricWrite(histogram, onlyInfBucket));

    assertThat(points(histogram)).containsExactly(full, unknownMinMax, onlyInfBucket);
  }

  @Test
  void aSecondPointAtTheSameTimeReplacesTheFirst() {
    MetricSeries counter = series("jobs_total", MetricType.COUNTER);
    write(number(counter, T0 + 1, 1.0), number(counter, T0 + 2, 2.0));
    write(number(counter, T0 + 1, 10.0));
    write(number(counter, T0 + 2, 20.0), number(counter, T0 + 2, 21.0));

    assertThat(points(counter))
        .containsExactly(new NumberPoint(T0, T0 + 1, 10.0), new NumberPoint(T0, T0 + 2, 21.0));
  }

  @Test
  void pointsRangeIsHalfOpen() {
    MetricSeries gauge = series("temperature", MetricType.GAUGE);
    for (int i = 0; i < 5; i++) {
      write(number(gauge, T0 + seconds(i), i));
    }

    assertThat(points(gauge, new TimeRange(T0 + seconds(1), T0 + seconds(3))))
        .extracting(MetricPoint::timeUnixNanos)
        .containsExactly(T0 + seconds(1), T0 + seconds(2));
    assertThat(points(gauge, new TimeRange(T0 + seconds(5), T0 + seconds(6)))).isEmpty();
  }

  @Test
  void pointsOfManySeriesAtOnce() {
    MetricSeries a = series("queue_depth", MetricType.GAUGE);
    MetricSeries b = series("queue_age", MetricType.GAUGE);
    for (int i = 0; i < 4; i++) {
      write(number(a, T0 + seconds(i), i), number(b, T0 + seconds(i), 10 + i));
    }

    Map<Long, List<MetricPoint>> found =
        await(
            metrics()
                .points(
                    TENANT,
                    List.of(a.id(), b.id(), 12345L),
                    new TimeRange(T0 + seconds(1), T0 + seconds(3))));
    assertThat(found).containsOnlyKeys(a.id(), b.id());
    assertThat(found.get(a.id()))
        .isEqualTo(points(a, new TimeRange(T0 + seconds(1), T0 + seconds(3))));
    assertThat(found.get(b.id()))
        .extracting(MetricPoint::timeUnixNanos)
        .containsExactly(T0 + seconds(1), T0 + seconds(2));
    assertThat(await(metrics().points(Fixtures.OTHER_TENANT, List.of(a.id()), TimeRange.ALL)))
        .isEmpty();
  }

  @Test
  void pointsOfAnUnknownSeriesAreEmpty() {
    write(number(series("up", MetricType.GAUGE), T0, 1));

    assertThat(await(metrics().points(TENANT, 12345L, TimeRange.ALL))).isEmpty();
  }

  @Test
  void emptyWriteCompletes() {
    await(metrics().write(List.of()));
    await(metrics().flush());

    assertThat(await(metrics().metricNames(TENANT, TimeRange.ALL))).isEmpty();
  }

  @Test
  void manySeriesInOneWriteAreAllStored() {
    List<MetricWrite> writes = new ArrayList<>();
    for (int s = 0; s < 300; s++) {
      MetricSeries one = series("requests_total", MetricType.COUNTER, "instance", "i-" + s);
      for (int t = 0; t < 10; t++) {
        writes.add(number(one, T0 + seconds(t), s * 10 + t));
      }
    }
    await(metrics().write(writes));
    await(metrics().flush());

    assertThat(findSeries(name("requests_total"))).hasSize(300);
    MetricSeries probe = series("requests_total", MetricType.COUNTER, "instance", "i-123");
    assertThat(points(probe))
        .hasSize(10)
        .last()
        .isEqualTo(new NumberPoint(T0, T0 + seconds(9), 1239));
  }

  // ---------------------------------------------------------------- every kind, bit for bit

  private static NumberPoint bits(long time, long rawBits) {
    return new NumberPoint(T0, time, Double.longBitsToDouble(rawBits));
  }

  @Test
  void numberValuesKeepTheirBitsIncludingNaNPayloadsAndTheStaleMarker() {
    MetricSeries gauge = series("up", MetricType.UNKNOWN, "instance", "a");
    List<NumberPoint> expected =
        List.of(
            bits(T0 + 1, 0x7ff0000000000002L), // Prometheus' stale marker
            bits(T0 + 2, 0x7ff8000000000001L),
            bits(T0 + 3, 0xfff0000000abcdefL),
            bits(T0 + 4, 0x8000000000000000L), // -0.0
            bits(T0 + 5, 0x7ff0000000000000L),
            bits(T0 + 6, 0xfff0000000000000L),
            bits(T0 + 7, 0x0000000000000001L),
            bits(T0 + 8, Double.doubleToRawLongBits(-1.5e-300)));
    write(expected.stream().map(p -> new MetricWrite(gauge, p)).toArray(MetricWrite[]::new));

    List<MetricPoint> read = points(gauge);
    assertThat(read).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(Double.doubleToRawLongBits(((NumberPoint) read.get(i)).value()))
          .as("point %d", i)
          .isEqualTo(Double.doubleToRawLongBits(expected.get(i).value()));
    }
  }

  @Test
  void exponentialHistogramsReadBackExactlyAtEveryScale() {
    MetricSeries latency = series("rpc_latency", MetricType.EXPONENTIAL_HISTOGRAM, "rpc", "get");
    List<MetricWrite> writes = new ArrayList<>();
    List<MetricPoint> expected = new ArrayList<>();
    for (int scale = ExponentialHistogramPoint.MIN_SCALE;
        scale <= ExponentialHistogramPoint.MAX_SCALE;
        scale++) {
      ExponentialHistogramPoint point =
          new ExponentialHistogramPoint(
              scale % 2 == 0 ? T0 : 0,
              T0 + seconds(scale + 20),
              scale + 30L,
              scale * 1.25,
              scale == 0 ? Double.NaN : -scale,
              scale == 1 ? Double.NaN : 1e300,
              scale,
              scale + 10L,
              scale % 3 == 0 ? 0.0 : 1e-9 * (scale + 11),
              new Buckets(-scale * 1000, new long[] {1, 0, 0, 7, Long.MAX_VALUE}),
              scale % 4 == 0 ? Buckets.EMPTY : new Buckets(scale, new long[] {0, 2, 0}));
      writes.add(new MetricWrite(latency, point));
      expected.add(point);
    }
    ExponentialHistogramPoint empty =
        new ExponentialHistogramPoint(
            T0, T0 + seconds(60), 0, 0, Double.NaN, Double.NaN, 0, 0, 0, null, null);
    writes.add(new MetricWrite(latency, empty));
    expected.add(empty);
    write(writes.toArray(MetricWrite[]::new));

    assertThat(points(latency)).containsExactlyElementsOf(expected);
  }

  @Test
  void summariesAndHistogramsWithEmptyBucketsReadBackExactly() {
    MetricSeries summary = series("rpc_duration", MetricType.SUMMARY, "rpc", "put");
    MetricSeries histogram = series("payload_bytes", MetricType.HISTOGRAM, "rpc", "put");
    SummaryPoint quantiles =
        new SummaryPoint(
            T0,
            T0 + seconds(1),
            17,
            -3.75,
            List.of(
                new Quantile(0, -1),
                new Quantile(0.5, Double.NaN),
                new Quantile(0.99, Double.POSITIVE_INFINITY),
                new Quantile(1, -0.0)));
    SummaryPoint none = new SummaryPoint(0, T0 + seconds(2), 0, 0, List.of());
    HistogramPoint zeros =
        new HistogramPoint(T0, T0 + seconds(1), 0, 0, Double.NaN, Double.NaN, BOUNDS, new long[6]);
    HistogramPoint negativeBounds =
        new HistogramPoint(
            T0,
            T0 + seconds(2),
            5,
            -0.0,
            -7,
            Double.NaN,
            new double[] {-10, -0.0, 0.0, 1e-300},
            new long[] {1, 0, 2, 0, 2});
    write(
        new MetricWrite(summary, quantiles),
        new MetricWrite(summary, none),
        new MetricWrite(histogram, zeros),
        new MetricWrite(histogram, negativeBounds));

    assertThat(points(summary)).containsExactly(quantiles, none);
    assertThat(points(histogram)).containsExactly(zeros, negativeBounds);
  }

  @Test
  void randomSamplesOfEveryTypeReadBackExactly() {
    RandomSamples random = new RandomSamples(11);
    List<MetricWrite> writes = new ArrayList<>();
    Map<MetricSeries, List<MetricPoint>> expected = new LinkedHashMap<>();
    for (MetricType type : MetricType.values()) {
      MetricSeries one = series("random_" + type.name().toLowerCase(), type, "seed", "11");
      List<MetricPoint> points = random.series(type, T0, seconds(10), 400);
      expected.put(one, points);
      points.forEach(p -> writes.add(new MetricWrite(one, p)));
    }
    // Several writes and flushes, each holding part of every series.
    for (int from = 0; from < writes.size(); from += 700) {
      await(metrics().write(writes.subList(from, Math.min(writes.size(), from + 700))));
      if (from % 1400 == 0) {
        await(metrics().flush());
      }
    }
    await(metrics().flush());

    expected.forEach((one, points) -> assertThat(points(one)).as(one.name()).isEqualTo(points));
  }

  // ---------------------------------------------------------------- flushes and late points

  @Test
  void aLaterWriteReplacesAPointAcrossFlushes() {
    MetricSeries counter = series("retried_total", MetricType.COUNTER);
    write(number(counter, T0 + 1, 1.0), number(counter, T0 + 2, 2.0));
    write(number(counter, T0 + 2, 20.0));
    writeUnflushed(number(counter, T0 + 1, 10.0));
    writeUnflushed(number(counter, T0 + 1, 11.0), number(counter, T0 + 3, 3.0));
    await(metrics().flush());

    assertThat(points(counter))
        .containsExactly(
            new NumberPoint(T0, T0 + 1, 11.0),
            new NumberPoint(T0, T0 + 2, 20.0),
            new NumberPoint(T0, T0 + 3, 3.0));
  }

  @Test
  void latePointsTakeTheirPlaceByTime() {
    MetricSeries gauge = series("late", MetricType.GAUGE);
    write(number(gauge, T0 + seconds(10), 1), number(gauge, T0 + seconds(30), 3));
    write(number(gauge, T0 + seconds(20), 2), number(gauge, T0 + seconds(40), 4));
    write(number(gauge, T0, 0), number(gauge, T0 + seconds(25), 2.5));

    assertThat(points(gauge))
        .extracting(MetricPoint::timeUnixNanos)
        .containsExactly(
            T0,
            T0 + seconds(10),
            T0 + seconds(20),
            T0 + seconds(25),
            T0 + seconds(30),
            T0 + seconds(40));
    assertThat(findSeries(new TimeRange(T0, T0 + 1), name("late"))).containsExactly(gauge);
  }

  @Test
  void readsStraddleFlushBoundaries() {
    MetricSeries gauge = series("straddle", MetricType.GAUGE);
    for (int flush = 0; flush < 5; flush++) {
      List<MetricWrite> writes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        writes.add(number(gauge, T0 + seconds(flush * 20 + i), flush * 20 + i));
      }
      write(writes.toArray(MetricWrite[]::new));
    }

    assertThat(points(gauge, new TimeRange(T0 + seconds(15), T0 + seconds(65))))
        .extracting(p -> ((NumberPoint) p).value())
        .containsExactlyElementsOf(
            java.util.stream.LongStream.range(15, 65).mapToObj(v -> (double) v).toList());
    assertThat(findSeries(new TimeRange(T0 + seconds(99), T0 + seconds(100)))).hasSize(1);
    assertThat(findSeries(new TimeRange(T0 + seconds(100), T0 + seconds(200)))).isEmpty();
  }

  @Test
  void flushMakesEveryCompletedWriteReadable() {
    List<MetricWrite> writes = new ArrayList<>();
    for (int s = 0; s < 50; s++) {
      MetricSeries one = series("flushed_total", MetricType.COUNTER, "shard", "s" + s);
      for (int t = 0; t < 40; t++) {
        writes.add(number(one, T0 + seconds(t), t));
      }
    }
    for (int from = 0; from < writes.size(); from += 250) {
      await(metrics().write(writes.subList(from, from + 250)));
    }

    await(metrics().flush());

    assertThat(await(metrics().metricNames(TENANT, TimeRange.ALL)))
        .containsExactly("flushed_total");
    assertThat(findSeries(name("flushed_total"))).hasSize(50);
    assertThat(points(series("flushed_total", MetricType.COUNTER, "shard", "s49"))).hasSize(40);
  }

  // ---------------------------------------------------------------- series and names

  @Test
  void seriesMetadataFollowsTheLatestWrite() {
    MetricSeries first =
        new MetricSeries(
            TENANT,
            "latency",
            Labels.of("job", "api"),
            MetricType.GAUGE,
            Temporality.NONE,
            "ms",
            "old description");
    MetricSeries updated =
        new MetricSeries(
            TENANT,
            "latency",
            Labels.of("job", "api"),
            MetricType.GAUGE,
            Temporality.NONE,
            "s",
            "new description");
    write(number(first, T0, 1));
    write(number(updated, T0 + 1, 2));

    assertThat(findSeries(name("latency"))).containsExactly(updated);
    assertThat(points(first)).hasSize(2);
  }

  @Test
  void metricNamesAreSortedDistinctAndLimitedToTheRange() {
    write(
        number(series("zeta_total", MetricType.COUNTER, "a", "1"), T0 + seconds(1), 1),
        number(series("zeta_total", MetricType.COUNTER, "a", "2"), T0 + seconds(1), 1),
        number(series("alpha", MetricType.GAUGE), T0 + seconds(2), 1),
        number(series("mid", MetricType.GAUGE), T0 + seconds(3), 1));

    assertThat(await(metrics().metricNames(TENANT, TimeRange.ALL)))
        .containsExactly("alpha", "mid", "zeta_total");
    assertThat(
            await(metrics().metricNames(TENANT, new TimeRange(T0 + seconds(2), T0 + seconds(3)))))
        .containsExactly("alpha");
    assertThat(await(metrics().metricNames(TENANT, new TimeRange(T0, T0 + seconds(1))))).isEmpty();
  }

  /**
   * Four series:
   *
   * <pre>
   * http_requests_total{job="api", env="prod",    code="200"}
   * http_requests_total{job="api", env="staging", code="500"}
   * http_requests_total{job="api-v2",             code="200"}   (no env label)
   * process_cpu_seconds{job="api", env="prod"}
   * </pre>
   */
  private List<MetricSeries> writeSeriesFixture() {
    MetricSeries prod =
        series(
            "http_requests_total", MetricType.COUNTER, "job", "api", "env", "prod", "code", "200");
    MetricSeries staging =
        series(
            "http_requests_total",
            MetricType.COUNTER,
            "job",
            "api",
            "env",
            "staging",
            "code",
            "500");
    MetricSeries noEnv =
        series("http_requests_total", MetricType.COUNTER, "job", "api-v2", "code", "200");
    MetricSeries cpu =
        series("process_cpu_seconds", MetricType.COUNTER, "job", "api", "env", "prod");
    write(
        number(prod, T0 + seconds(1), 1),
        number(staging, T0 + seconds(2), 1),
        number(noEnv, T0 + seconds(3), 1),
        number(cpu, T0 + seconds(4), 1));
    return List.of(prod, staging, noEnv, cpu);
  }

  @Test
  void seriesAreSortedByNameThenLabels() {
    List<MetricSeries> all = writeSeriesFixture();

    // Labels compare as sorted (name, value) pairs: code=200 < code=500; then env=prod < job=...
    assertThat(findSeries(matcher("job", Type.REGEX, ".+")))
        .containsExactly(all.get(0), all.get(2), all.get(1), all.get(3));
  }

  @Test
  void seriesByMetricName() {
    List<MetricSeries> all = writeSeriesFixture();

    assertThat(findSeries(name("process_cpu_seconds"))).containsExactly(all.get(3));
    assertThat(findSeries(name("http_requests_total"))).hasSize(3);
    assertThat(findSeries(name("http_requests"))).isEmpty();
    assertThat(findSeries(matcher(LabelMatcher.METRIC_NAME, Type.REGEX, "process_.*")))
        .containsExactly(all.get(3));
    assertThat(findSeries(matcher(LabelMatcher.METRIC_NAME, Type.NOT_EQUAL, "http_requests_total")))
        .containsExactly(all.get(3));
    assertThat(findSeries(matcher(LabelMatcher.METRIC_NAME, Type.NOT_REGEX, "http_.*")))
        .containsExactly(all.get(3));
  }

  @Test
  void seriesByEqualAndNotEqualLabel() {
    List<MetricSeries> all = writeSeriesFixture();

    assertThat(findSeries(name("http_requests_total"), matcher("env", Type.EQUAL, "prod")))
        .containsExactly(all.get(0));
    assertThat(findSeries(name("http_requests_total"), matcher("env", Type.NOT_EQUAL, "prod")))
        .containsExactly(all.get(2), all.get(1));
    assertThat(findSeries(matcher("code", Type.EQUAL, "200"), matcher("job", Type.EQUAL, "api")))
        .containsExactly(all.get(0));
  }

  @Test
  void regexMatchersAreFullyAnchored() {
    List<MetricSeries> all = writeSeriesFixture();

    assertThat(findSeries(name("http_requests_total"), matcher("job", Type.REGEX, "api")))
        .containsExactly(all.get(0), all.get(1));
    assertThat(findSeries(name("http_requests_total"), matcher("job", Type.REGEX, "pi"))).isEmpty();
    assertThat(findSeries(name("http_requests_total"), matcher("job", Type.REGEX, "api.*")))
        .hasSize(3);
    assertThat(findSeries(name("http_requests_total"), matcher("job", Type.NOT_REGEX, "api")))
        .containsExactly(all.get(2));
    assertThat(findSeries(name("http_requests_total"), matcher("code", Type.REGEX, "2..|5..")))
        .hasSize(3);
  }

  @Test
  void aMissingLabelMatchesLikeTheEmptyString() {
    List<MetricSeries> all = writeSeriesFixture();
    LabelMatcher requests = name("http_requests_total");

    assertThat(findSeries(requests, matcher("env", Type.EQUAL, ""))).containsExactly(all.get(2));
    assertThat(findSeries(requests, matcher("env", Type.NOT_EQUAL, "")))
        .containsExactly(all.get(0), all.get(1));
    assertThat(findSeries(requests, matcher("env", Type.REGEX, ".*"))).hasSize(3);
    assertThat(findSeries(requests, matcher("env", Type.REGEX, ".+")))
        .containsExactly(all.get(0), all.get(1));
    assertThat(findSeries(requests, matcher("env", Type.NOT_REGEX, ".+")))
        .containsExactly(all.get(2));
    assertThat(findSeries(requests, matcher("nonexistent", Type.EQUAL, ""))).hasSize(3);
  }

  @Test
  void seriesWithoutMatchersAreEveryStoredSeries() {
    List<MetricSeries> all = writeSeriesFixture();

    assertThat(findSeries()).containsExactly(all.get(0), all.get(2), all.get(1), all.get(3));
  }

  @Test
  void seriesNeedAPointInsideTheRange() {
    List<MetricSeries> all = writeSeriesFixture();
    MetricSeries gappy = series("gappy", MetricType.GAUGE);
    write(number(gappy, T0 + seconds(1), 1), number(gappy, T0 + seconds(9), 1));

    assertThat(findSeries(new TimeRange(T0 + seconds(2), T0 + seconds(4))))
        .containsExactly(all.get(2), all.get(1));
    assertThat(findSeries(new TimeRange(T0 + seconds(2), T0 + seconds(8)), name("gappy")))
        .isEmpty();
    assertThat(findSeries(new TimeRange(T0 + seconds(9), T0 + seconds(10)), name("gappy")))
        .containsExactly(gappy);
  }

  @Test
  void seriesPointsAreTheMatchingSeriesWithTheirPointsInTheRange() {
    List<MetricSeries> all = writeSeriesFixture();
    MetricSeries gappy = series("gappy", MetricType.GAUGE);
    write(
        number(gappy, T0 + seconds(1), 1),
        number(gappy, T0 + seconds(3), 2),
        number(gappy, T0 + seconds(9), 3));
    TimeRange early = new TimeRange(T0 + seconds(2), T0 + seconds(4));
    TimeRange gap = new TimeRange(T0 + seconds(4), T0 + seconds(8));

    assertThat(seriesPoints(early, s -> true))
        .containsExactly(
            new SeriesPoints(gappy, List.of(new NumberPoint(T0, T0 + seconds(3), 2))),
            new SeriesPoints(all.get(2), points(all.get(2), early)),
            new SeriesPoints(all.get(1), points(all.get(1), early)));
    assertThat(seriesPoints(early, s -> !s.equals(gappy), name("http_requests_total")))
        .extracting(SeriesPoints::series)
        .containsExactly(all.get(2), all.get(1));
    assertThat(seriesPoints(early, s -> !s.equals(all.get(2)), matcher("code", Type.EQUAL, "500")))
        .extracting(SeriesPoints::series)
        .containsExactly(all.get(1));
    // Every series with points anywhere, then none of those with only points outside the range.
    assertThat(seriesPoints(TimeRange.ALL, s -> true)).hasSize(5);
    assertThat(seriesPoints(gap, s -> true, name("gappy"))).isEmpty();
    // A later write replaces a point across flushes here too.
    write(number(gappy, T0 + seconds(3), 20));
    assertThat(seriesPoints(early, s -> true, name("gappy")))
        .containsExactly(
            new SeriesPoints(gappy, List.of(new NumberPoint(T0, T0 + seconds(3), 20))));
    assertThat(seriesPoints(gap, s -> true))
        .extracting(SeriesPoints::series)
        .containsExactly(all.get(3));
  }

  /**
   * A PromQL selector's sampling leaves out of a series of numbers at most the points {@link
   * StepSampling#needed} leaves out, keeps their order, leaves histogram points whole, and keeps no
   * series without a point. A backend may leave out nothing.
   */
  @Test
  void sampledSeriesPointsKeepWhatTheSelectorUses() {
    MetricSeries gauge = series("sampled_gauge", MetricType.GAUGE);
    MetricSeries counter = series("sampled_total", MetricType.COUNTER);
    MetricSeries histogram = series("sampled_seconds", MetricType.HISTOGRAM);
    MetricSeries gone = series("sampled_gone", MetricType.GAUGE);
    List<MetricWrite> writes = new ArrayList<>();
    for (int s = 0; s <= 1200; s += 15) {
      long time = T0 + seconds(s) + 1_234_567L * (s % 7); // off the second, a few ms apart
      writes.add(number(gauge, time, s));
      writes.add(number(counter, time, s * 2.5));
      writes.add(
          new MetricWrite(
              histogram,
              new HistogramPoint(
                  T0, time, s, s * 0.5, 0, 1, new double[] {0.1}, new long[] {s / 2, s - s / 2})));
    }
    // Two points in one millisecond, and a stale marker.
    writes.add(number(gauge, T0 + seconds(601) + 1, 1));
    writes.add(number(gauge, T0 + seconds(601) + 999_000, 2));
    writes.add(
        new MetricWrite(
            gauge,
            new NumberPoint(T0, T0 + seconds(902), Double.longBitsToDouble(0x7ff0000000000002L))));
    writes.add(number(gone, T0 + seconds(10), 1));
    write(writes.toArray(MetricWrite[]::new));
    TimeRange range = new TimeRange(T0, T0 + seconds(1201));
    long last = (T0 + seconds(1200)) / 1_000_000L;
    List<SeriesPoints> full = seriesPoints(range, s -> true);
    assertThat(full).hasSize(4);

    for (StepSampling sampling :
        List.of(
            StepSampling.latest(last, 60_000, 300_000),
            StepSampling.latest(last, 0, 300_000),
            StepSampling.latest(last - 7, 45_000, 20_000),
            StepSampling.windows(last, 120_000, 30_000),
            StepSampling.windows(last, 60_000, 300_000))) {
      List<SeriesPoints> sampled =
          await(
              metrics()
                  .seriesPoints(new SeriesQuery(TENANT, List.of(), range), sampling, s -> true));
      assertThat(sampled.stream().map(SeriesPoints::series).toList())
          .as("%s: the series in order, those without a point left out or not", sampling)
          .isSubsetOf(full.stream().map(SeriesPoints::series).toList())
          .contains(gauge, counter, histogram);
      for (SeriesPoints read : sampled) {
        List<MetricPoint> all =
            full.stream()
                .filter(f -> f.series().equals(read.series()))
                .findFirst()
                .orElseThrow()
                .points();
        if (read.series().equals(histogram)) {
          assertThat(read.points()).as("%s: histogram points", sampling).isEqualTo(all);
          continue;
        }
        assertThat(read.points()).as("%s: %s", sampling, read.series().name()).isNotEmpty();
        assertThat(all).containsSubsequence(read.points());
        assertThat(read.points()).containsAll(sampling.needed(all));
      }
    }
  }

  private List<SeriesPoints> seriesPoints(
      TimeRange range, Predicate<MetricSeries> read, LabelMatcher... matchers) {
    return await(metrics().seriesPoints(new SeriesQuery(TENANT, List.of(matchers), range), read));
  }

  // ---------------------------------------------------------------- retention

  @Test
  void deleteOlderThanRemovesOldPointsAndEmptiedSeries() {
    MetricSeries spanning = series("spanning", MetricType.GAUGE);
    MetricSeries oldOnly = series("old_only", MetricType.GAUGE);
    MetricSeries otherTenant = series(Fixtures.OTHER_TENANT, "spanning", MetricType.GAUGE);
    write(
        number(spanning, T0, 1),
        number(spanning, T0 + seconds(1), 2),
        number(spanning, T0 + seconds(2), 3),
        number(oldOnly, T0, 1),
        number(otherTenant, T0, 1));

    long deleted = await(metrics().deleteOlderThan(T0 + seconds(1)));

    assertThat(deleted).isEqualTo(3);
    assertThat(points(spanning))
        .containsExactly(
            new NumberPoint(T0, T0 + seconds(1), 2), new NumberPoint(T0, T0 + seconds(2), 3));
    assertThat(points(oldOnly)).isEmpty();
    assertThat(findSeries()).containsExactly(spanning);
    assertThat(await(metrics().metricNames(TENANT, TimeRange.ALL))).containsExactly("spanning");
    assertThat(await(metrics().metricNames(Fixtures.OTHER_TENANT, TimeRange.ALL))).isEmpty();
    assertThat(await(metrics().deleteOlderThan(T0 + seconds(1)))).isZero();
  }

  @Test
  void aDeletedSeriesComesBackWithItsNextWrite() {
    MetricSeries gauge = series("comeback", MetricType.GAUGE);
    write(number(gauge, T0, 1));
    await(metrics().deleteOlderThan(T0 + 1));

    write(number(gauge, T0 + seconds(5), 2));

    assertThat(findSeries(name("comeback"))).containsExactly(gauge);
    assertThat(points(gauge)).containsExactly(new NumberPoint(T0, T0 + seconds(5), 2));
  }

  @Test
  void deleteOlderThanRemovesLargeAmountsCompletely() {
    List<MetricWrite> writes = new ArrayList<>();
    for (int s = 0; s < 20; s++) {
      MetricSeries one = series("bulk", MetricType.GAUGE, "i", Integer.toString(s));
      for (int t = 0; t < 600; t++) {
        writes.add(number(one, T0 + t, t));
      }
    }
    MetricSeries kept = series("kept", MetricType.GAUGE);
    writes.add(number(kept, T0 + seconds(1), 1));
    await(metrics().write(writes));
    await(metrics().flush());

    assertThat(await(metrics().deleteOlderThan(T0 + seconds(1)))).isEqualTo(12_000);
    assertThat(findSeries()).containsExactly(kept);
  }
}
