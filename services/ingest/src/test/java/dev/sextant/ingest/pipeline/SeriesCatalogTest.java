package dev.sextant.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.protocol.pipeline.v1.Histogram;
import dev.sextant.protocol.pipeline.v1.Label;
import dev.sextant.protocol.pipeline.v1.MetricPoint;
import dev.sextant.protocol.pipeline.v1.MetricType;
import dev.sextant.protocol.pipeline.v1.Temporality;
import dev.sextant.protocol.pipeline.v1.WriteRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The catalog (series and their refs) and a stream's side of the dictionary, together. */
class SeriesCatalogTest {
  private static MetricPoint point(String name, double value, String... labels) {
    MetricPoint.Builder point =
        MetricPoint.newBuilder()
            .setName(name)
            .setUnit("1")
            .setType(MetricType.METRIC_TYPE_COUNTER)
            .setTemporality(Temporality.TEMPORALITY_CUMULATIVE)
            .setStartTimeUnixNano(100)
            .setTimeUnixNano(200)
            .setNumber(value);
    for (int i = 0; i < labels.length; i += 2) {
      point.addLabels(Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
    }
    return point.build();
  }

  private static List<StreamPoint> made(
      SeriesCatalog catalog, String tenant, MetricPoint... points) {
    List<StreamPoint> made = new ArrayList<>();
    for (MetricPoint point : points) {
      made.add(catalog.point(tenant, point));
    }
    return made;
  }

  private static WriteRequest send(StreamRefs stream, String tenant, List<StreamPoint> points) {
    return stream.encode(9, tenant, true, points);
  }

  @Test
  void aSeriesIsDefinedOnceOnAStreamThenSentAsItsRefTimesAndValue() {
    SeriesCatalog catalog = new SeriesCatalog(100);
    StreamRefs stream = new StreamRefs();
    MetricPoint a = point("calls", 1, "route", "/a");

    WriteRequest first =
        send(stream, "acme", made(catalog, "acme", a, point("calls", 2, "route", "/a")));
    WriteRequest second =
        send(stream, "acme", made(catalog, "acme", point("calls", 3, "route", "/a")));
    WriteRequest onANewStream =
        send(new StreamRefs(), "acme", made(catalog, "acme", point("calls", 4, "route", "/a")));

    assertThat(first.getBatchId()).isEqualTo(9);
    assertThat(first.getTenant()).isEqualTo("acme");
    assertThat(first.getAdditive()).isTrue();
    assertThat(first.getPoints(0)).isEqualTo(a.toBuilder().setSeriesRef(1).build());
    MetricPoint expectedReference =
        MetricPoint.newBuilder()
            .setSeriesRef(1)
            .setStartTimeUnixNano(100)
            .setTimeUnixNano(200)
            .setNumber(2)
            .build();
    assertThat(first.getPoints(1)).isEqualTo(expectedReference);
    assertThat(second.getPoints(0)).isEqualTo(expectedReference.toBuilder().setNumber(3).build());
    assertThat(onANewStream.getPoints(0))
        .isEqualTo(a.toBuilder().setSeriesRef(1).setNumber(4).build());

    // What it saves on a typical series: 6 labels, sent whole ~4x the bytes of its reference.
    MetricPoint typical =
        point(
            "http.server.request.duration",
            1,
            "service.name",
            "checkout",
            "http.route",
            "/api/cart",
            "http.method",
            "POST",
            "status",
            "200",
            "region",
            "eu-west-1",
            "service.instance.id",
            "checkout-7d9f8-x2k4q");
    send(stream, "acme", made(catalog, "acme", typical));
    int referenceSize =
        send(stream, "acme", made(catalog, "acme", typical)).getPoints(0).getSerializedSize();
    assertThat(referenceSize * 4).isLessThan(typical.getSerializedSize());
  }

  @Test
  void everyPartOfTheSeriesTellsSeriesApart() {
    SeriesCatalog catalog = new SeriesCatalog(100);
    MetricPoint base = point("calls", 1, "route", "/a");
    List<StreamPoint> made =
        made(
            catalog,
            "acme",
            base,
            point("calls", 1, "route", "/b"),
            point("calls", 1, "rout", "e/a"),
            point("calls", 1, "route", "/a", "x", ""),
            base.toBuilder().setUnit("s").build(),
            base.toBuilder().setDescription("d").build(),
            base.toBuilder().setType(MetricType.METRIC_TYPE_UP_DOWN_COUNTER).build(),
            base.toBuilder().setTemporality(Temporality.TEMPORALITY_DELTA).build(),
            point("call", 1, "sroute", "/a"));
    WriteRequest encoded = send(new StreamRefs(), "acme", made);
    StreamPoint otherTenant = catalog.point("globex", base);

    assertThat(encoded.getPointsList())
        .extracting(MetricPoint::getSeriesRef)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(encoded.getPointsList()).allSatisfy(p -> assertThat(p.getName()).isNotEmpty());
    assertThat(otherTenant.series().ref()).isEqualTo(10);
    assertThat(otherTenant.resolved()).isEqualTo(base);
    assertThat(made.get(3).resolved()).isEqualTo(point("calls", 1, "route", "/a", "x", ""));
  }

  @Test
  void whenFullItStartsOverAndTheStreamDefinesEveryReusedRefAgain() {
    SeriesCatalog catalog = new SeriesCatalog(2);
    StreamRefs stream = new StreamRefs();
    send(stream, "acme", made(catalog, "acme", point("a", 1), point("b", 1)));
    // Made before the catalog starts over, sent after: it keeps its own series.
    List<StreamPoint> lateB = made(catalog, "acme", point("b", 2));
    WriteRequest third = send(stream, "acme", made(catalog, "acme", point("c", 1), point("a", 2)));
    WriteRequest fourth = send(stream, "acme", lateB);

    // "c" did not fit: the catalog started over, "c" took ref 1, and "a" is defined again as 2.
    assertThat(third.getPoints(0).getSeriesRef()).isEqualTo(1);
    assertThat(third.getPoints(0).getName()).isEqualTo("c");
    assertThat(third.getPoints(1).getSeriesRef()).isEqualTo(2);
    assertThat(third.getPoints(1).getName()).isEqualTo("a");
    assertThat(catalog.size()).isEqualTo(2);
    // Ref 2 means "a" on the stream now: the late "b" point defines it as "b" again.
    assertThat(fourth.getPoints(0).getSeriesRef()).isEqualTo(2);
    assertThat(fourth.getPoints(0).getName()).isEqualTo("b");
    assertThat(fourth.getPoints(0).getNumber()).isEqualTo(2);
  }

  @Test
  void histogramsKeepTheirValueAndNamelessPointsAndAnOffCatalogPassThrough() {
    SeriesCatalog catalog = new SeriesCatalog(10);
    Histogram h =
        Histogram.newBuilder()
            .setCount(3)
            .setSum(1.5)
            .addBounds(1)
            .addBucketCounts(2)
            .addBucketCounts(1)
            .build();
    MetricPoint histogram =
        point("latency", 0).toBuilder()
            .setType(MetricType.METRIC_TYPE_HISTOGRAM)
            .setHistogram(h)
            .build();
    MetricPoint nameless = point("", 1);

    WriteRequest encoded =
        send(new StreamRefs(), "acme", made(catalog, "acme", histogram, histogram, nameless));
    assertThat(encoded.getPoints(0)).isEqualTo(histogram.toBuilder().setSeriesRef(1).build());
    assertThat(encoded.getPoints(1).getHistogram()).isEqualTo(h);
    assertThat(encoded.getPoints(1).getName()).isEmpty();
    assertThat(encoded.getPoints(2)).isEqualTo(nameless);

    StreamPoint off = new SeriesCatalog(0).point("acme", histogram);
    assertThat(off.series()).isNull();
    assertThat(off.point()).isSameAs(histogram);
  }

  @Test
  void labelsCraftedToCollideNeverShareARefAndLongProbesAreSentWhole() {
    // "Aa" and "BB" have the same String hash: 64 label values, one hash.
    SeriesCatalog catalog = new SeriesCatalog(1000);
    StreamRefs stream = new StreamRefs();
    List<MetricPoint> series = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      StringBuilder value = new StringBuilder();
      for (int bit = 0; bit < 6; bit++) {
        value.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      series.add(point("calls", i, "v", value.toString()));
    }
    MetricPoint[] points = series.toArray(MetricPoint[]::new);
    WriteRequest first = send(stream, "acme", made(catalog, "acme", points));
    WriteRequest again = send(stream, "acme", made(catalog, "acme", points));

    Set<Long> refs = new HashSet<>();
    for (int i = 0; i < 64; i++) {
      long ref = first.getPoints(i).getSeriesRef();
      if (ref == 0) {
        assertThat(first.getPoints(i)).isEqualTo(series.get(i)); // sent whole
        assertThat(again.getPoints(i)).isEqualTo(series.get(i));
      } else {
        assertThat(refs.add(ref)).as("ref %d used once", ref).isTrue();
        assertThat(again.getPoints(i).getSeriesRef()).isEqualTo(ref);
        assertThat(again.getPoints(i).getNumber()).isEqualTo(i);
      }
    }
    assertThat(refs).hasSize(33); // the first slot and 32 probes
  }

  @Test
  void requestsLookingUpAtOnceGetOneSeriesEach() throws Exception {
    SeriesCatalog catalog = new SeriesCatalog(100_000);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    ConcurrentHashMap<String, Set<SeriesCatalog.Series>> seen = new ConcurrentHashMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    String value = Integer.toString(i);
                    SeriesCatalog.Series series =
                        catalog.point("acme", point("calls", i, "i", value)).series();
                    seen.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(series);
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(seen).hasSize(5_000).allSatisfy((value, series) -> assertThat(series).hasSize(1));
    assertThat(catalog.size()).isEqualTo(5_000);
  }

  @Test
  void refsNeverExceedWhatTheAggregatorTakes() {
    // The aggregator refuses refs above 2^20 (SeriesRefs.MAX_REF).
    assertThat(new SeriesCatalog(Integer.MAX_VALUE).capacity()).isEqualTo(1 << 20);
    assertThat(new SeriesCatalog(-5).capacity()).isZero();
  }
}
